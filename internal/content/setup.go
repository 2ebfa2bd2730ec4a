package content

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
)

// setupFiles are the files a load reads before the records, once:
// languages.yaml and the message catalogues (messages/*). What the load
// makes of them and what its version hashes are then the same bytes: a
// catalogue saved while a load runs is the next load's, under the next
// version, never this version's under the old text.
type setupFiles struct {
	names   []string // languages.yaml, then messages/* in order (as hashLanguages)
	data    map[string][]byte
	errs    map[string]error
	globErr error
}

// readSetupFiles reads the setup files of fsys, each up to MaxFileBytes+1
// bytes (a larger one is a problem: its checks see that it is).
func readSetupFiles(fsys fs.FS) *setupFiles {
	s := &setupFiles{names: []string{languagesFile}, data: map[string][]byte{}, errs: map[string]error{}}
	cats, err := fs.Glob(fsys, messagesFolder+"/*")
	s.globErr = err
	s.names = append(s.names, cats...)
	for _, p := range s.names {
		f, err := fsys.Open(p)
		if err != nil {
			s.errs[p] = err
			continue
		}
		src, err := readLimited(f, MaxFileBytes+1)
		f.Close()
		if err != nil {
			s.errs[p] = err
			continue
		}
		s.data[p] = src
	}
	return s
}

// read returns the bytes of setup file p, as fs.ReadFile would.
func (s *setupFiles) read(p string) ([]byte, error) {
	if b, ok := s.data[p]; ok {
		return b, nil
	}
	if err := s.errs[p]; err != nil {
		return nil, err
	}
	return nil, &fs.PathError{Op: "open", Path: p, Err: fs.ErrNotExist}
}

// hash adds the setup files to a content version, as hashLanguages does
// from the disk.
func (s *setupFiles) hash(h io.Writer) error {
	if s.globErr != nil {
		return s.globErr
	}
	for _, p := range s.names {
		if err := s.errs[p]; err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			return err
		}
		fmt.Fprintf(h, "%s\x00", p)
		h.Write(s.data[p])
	}
	return nil
}

// readSetup returns the bytes of setup file p: those the load read at its
// start (a loader made without them reads the disk).
func (l *loader) readSetup(p string) ([]byte, error) {
	if l.setup == nil {
		return fs.ReadFile(l.fsys, p)
	}
	return l.setup.read(p)
}
