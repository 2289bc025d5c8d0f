package assets

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/formwork-dev/formwork/templates"
)

// made is an asset's zip and the size of what it holds.
type made struct {
	zip      []byte
	unzipped int64
}

// makeZip turns an asset's source into its zip, refusing anything over
// Lambda's limits. dir is where relative paths start.
func makeZip(ctx context.Context, a templates.Asset, dir string) (made, error) {
	var m made
	var err error
	switch a.Source.Kind {
	case templates.GoMainKind:
		m, err = zipGoMain(ctx, a, dir)
	case templates.DirKind:
		m, err = zipDir(a.Name, filepath.Join(dir, a.Source.Path))
	case templates.ZipKind:
		m, err = readZip(a.Name, filepath.Join(dir, a.Source.Path))
	default:
		err = fmt.Errorf("%s: unknown source %s", a.Name, a.Source)
	}
	if err != nil {
		return made{}, err
	}
	return m, checkLimits(a.Name, int64(len(m.zip)), m.unzipped)
}

func zipGoMain(ctx context.Context, a templates.Asset, dir string) (made, error) {
	binary, err := buildGo(ctx, a.Name, a.Source.Path, dir)
	if err != nil {
		return made{}, err
	}
	if err := checkLimits(a.Name, 0, int64(len(binary))); err != nil {
		return made{}, err
	}
	zip, err := writeZip([]entry{{name: "bootstrap", exec: true, data: binary}})
	return made{zip, int64(len(binary))}, err
}

var errTooBig = errors.New("over the limit")

// zipDir zips every regular file under root. A file is executable in the
// zip (0755) when it is called bootstrap or its owner may execute it (git
// keeps that bit); every other file is 0644. Symbolic links and other
// special files are refused.
func zipDir(name, root string) (made, error) {
	if info, err := os.Stat(root); err == nil && !info.IsDir() {
		return made{}, fmt.Errorf("%s: %s is a file, and the stack declares a directory asset: point it at the directory that holds the code (or declare a zip)", name, root)
	}
	var entries []entry
	var total int64
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		info, err := d.Info()
		if err != nil {
			return err
		}
		if !info.Mode().IsRegular() {
			return fmt.Errorf("%s is not a regular file (%s): replace it with the file itself, or zip the directory yourself and use templates.Zip", rel, info.Mode().Type())
		}
		if total += info.Size(); total > MaxUnzipped {
			return errTooBig
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		slash := filepath.ToSlash(rel)
		entries = append(entries, entry{name: slash, exec: slash == "bootstrap" || info.Mode()&0o100 != 0, data: data})
		return nil
	})
	switch {
	case errors.Is(err, errTooBig):
		return made{}, checkLimits(name, 0, total)
	case err != nil:
		return made{}, fmt.Errorf("%s: directory %s: %w", name, root, err)
	}
	if len(entries) == 0 {
		return made{}, fmt.Errorf("%s: directory %s holds no files: put the code in it", name, root)
	}
	zip, err := writeZip(entries)
	return made{zip, total}, err
}

// readZip reads a zip built elsewhere; it is uploaded byte for byte, so its
// key is only as reproducible as its build.
func readZip(name, path string) (made, error) {
	info, err := os.Stat(path)
	if err != nil {
		return made{}, fmt.Errorf("%s: %w: build the zip first, or fix the path in the stack", name, err)
	}
	if !info.Mode().IsRegular() {
		return made{}, fmt.Errorf("%s: %s is not a regular file (%s): point the stack at a .zip", name, path, info.Mode().Type())
	}
	if err := checkLimits(name, info.Size(), 0); err != nil {
		return made{}, err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return made{}, fmt.Errorf("%s: %w", name, err)
	}
	unzipped, err := unzippedSize(data)
	if err != nil {
		return made{}, fmt.Errorf("%s: %s is not a zip file (%v): point the stack at a .zip", name, path, err)
	}
	return made{data, unzipped}, nil
}
