package avro_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/schemata-dev/schemata/internal/golden"
)

// TestFormsGolden renders every testdata/forms/*.avsc in each form and
// compares with the .golden file beside it. Regenerate with -update.
func TestFormsGolden(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("testdata", "forms", "*.avsc"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no form fixtures: %v", err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".avsc")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			text, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			s := mustParse(t, string(text))
			var b strings.Builder
			fmt.Fprintf(&b, "text:\n%s\nnormalized:\n%s\ncanonical:\n%s\nfingerprint: %d\n", s.Text(), s.Normalized(), s.CanonicalForm(), int64(s.Fingerprint()))
			for _, d := range s.Deprecations() {
				fmt.Fprintf(&b, "deprecated: %s %s at %s reason=%q sunset=%s replacement=%q\n",
					d.Kind, d.Path, d.Pos, d.Reason, d.Sunset.Format("2006-01-02"), d.Replacement)
			}
			got := b.String()
			golden.AssertString(t, strings.TrimSuffix(file, ".avsc")+".golden", got)
		})
	}
}
