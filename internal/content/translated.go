package content

import (
	"bytes"
	"fmt"
	"path"
	"regexp"
)

// translationOfLine matches a top-level translation_of field of front matter.
var translationOfLine = regexp.MustCompile(`(?m)^translation_of:[^\n]*\n`)

// MarkTranslated returns src, the content file file (a translation, its
// path relative to the content folder), with its translation_of field set
// to the version of the authoritative text it translates now: the
// SourceHash of that text in site. It is what `make translated` writes
// once a translator has brought a translation up to date.
//
// Errors: file is not a translation in site (an authoritative file, a file
// the site does not hold), or src has no front matter.
func MarkTranslated(site *Site, file string, src []byte) ([]byte, string, error) {
	file = path.Clean(file)
	for _, r := range site.Records() {
		for _, d := range r.Docs {
			if d.File != file || d.Fallback != "" {
				continue
			}
			orig := r.Docs[site.Languages.Authoritative().Tag]
			if d == orig {
				return nil, "", fmt.Errorf("%s is the authoritative text: translation_of belongs in its translations", file)
			}
			out, err := setTranslationOf(src, orig.SourceHash)
			return out, orig.SourceHash, err
		}
	}
	return nil, "", fmt.Errorf("%s is not a translation in the content: give a file such as pages/about.en.md", file)
}

// setTranslationOf replaces or adds the translation_of field of src's
// front matter, keeping every other byte.
func setTranslationOf(src []byte, hash string) ([]byte, error) {
	fm, _, _, err := split(src)
	if err != nil {
		return nil, err
	}
	start := bytes.Index(src, fm)
	if len(fm) == 0 {
		start = bytes.Index(src, []byte("\n")) + 1
	}
	line := []byte("translation_of: " + hash + "\n")
	var nfm []byte
	if loc := translationOfLine.FindIndex(fm); loc != nil {
		nfm = append(append(append([]byte{}, fm[:loc[0]]...), line...), fm[loc[1]:]...)
	} else {
		nfm = append(append([]byte{}, fm...), line...)
	}
	out := append([]byte{}, src[:start]...)
	out = append(out, nfm...)
	return append(out, src[start+len(fm):]...), nil
}
