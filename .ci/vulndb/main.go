// Command vulndb turns the OSV entries of the Go vulnerability database,
// as the golang.org/x/vulndb module ships them (data/osv/*.json), into a
// local database in the layout govulncheck reads with -db file://...:
// index/db.json, index/modules.json and ID/<id>.json. CI uses it because
// this machine reaches the Go module proxy but not vuln.go.dev.
//
// Usage: go run ./.ci/vulndb -osv DIR -out DIR -modified 2026-11-05T23:49:57Z
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// entry is the part of an OSV entry the index needs.
type entry struct {
	ID       string `json:"id"`
	Modified string `json:"modified"`
	Affected []struct {
		Package struct {
			Name string `json:"name"`
		} `json:"package"`
	} `json:"affected"`
}

// moduleVuln is one line of index/modules.json's vulns. Its optional
// "fixed" (the latest fixed version, which lets a client skip entries
// for versions past it) is left out: without it govulncheck reads every
// entry of a module, slower but never missing one, and this program
// needs no semantic-version ordering.
type moduleVuln struct {
	ID       string `json:"id"`
	Modified string `json:"modified"`
}

// module is one element of index/modules.json.
type module struct {
	Path  string       `json:"path"`
	Vulns []moduleVuln `json:"vulns"`
}

func main() {
	src := flag.String("osv", "", "the folder of OSV entries (data/osv of golang.org/x/vulndb)")
	out := flag.String("out", "", "the folder to write the database to")
	modified := flag.String("modified", "", "the database's time of modification (RFC 3339)")
	flag.Parse()
	if *src == "" || *out == "" || *modified == "" {
		fmt.Fprintln(os.Stderr, "usage: vulndb -osv DIR -out DIR -modified TIME")
		os.Exit(2)
	}
	n, err := build(*src, *out, *modified)
	if err != nil {
		fmt.Fprintln(os.Stderr, "vulndb:", err)
		os.Exit(1)
	}
	fmt.Printf("vulnerability database of %d entries (%s) in %s\n", n, *modified, *out)
}

// build writes the database and returns how many entries it holds.
func build(src, out, modified string) (int, error) {
	files, err := filepath.Glob(filepath.Join(src, "*.json"))
	if err != nil || len(files) == 0 {
		return 0, fmt.Errorf("no OSV entries in %s", src)
	}
	for _, dir := range []string{"ID", "index"} {
		if err := os.MkdirAll(filepath.Join(out, dir), 0o755); err != nil {
			return 0, err
		}
	}
	byModule := map[string][]moduleVuln{}
	for _, f := range files {
		if err := addEntry(f, out, modified, byModule); err != nil {
			return 0, err
		}
	}
	if err := writeJSON(filepath.Join(out, "index", "db.json"), map[string]string{"modified": modified}); err != nil {
		return 0, err
	}
	return len(files), writeJSON(filepath.Join(out, "index", "modules.json"), modules(byModule))
}

// addEntry copies one entry under ID/ and notes it against its modules.
// The repository's entries carry a zero modification time (it is set
// when they are published), so the database's own time stands in.
func addEntry(path, out, modified string, byModule map[string][]moduleVuln) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var e entry
	if err := json.Unmarshal(raw, &e); err != nil || e.ID == "" {
		return fmt.Errorf("%s: not an OSV entry: %v", path, err)
	}
	if err := os.WriteFile(filepath.Join(out, "ID", e.ID+".json"), raw, 0o644); err != nil {
		return err
	}
	for _, a := range e.Affected {
		v := moduleVuln{ID: e.ID, Modified: modified}
		byModule[a.Package.Name] = append(byModule[a.Package.Name], v)
	}
	return nil
}

func modules(byModule map[string][]moduleVuln) []module {
	out := make([]module, 0, len(byModule))
	for path, vulns := range byModule {
		out = append(out, module{Path: path, Vulns: vulns})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

func writeJSON(path string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}
