//go:build !linux

package content

import (
	"io/fs"
	"os"
)

// Dir returns the content folder at dir as an fs.FS for Load and Version:
// os.DirFS itself, elsewhere than on Linux (dirfs.go).
func Dir(dir string) fs.FS {
	return os.DirFS(dir)
}
