package avro_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/schemata-dev/schemata/internal/golden"
	"github.com/schemata-dev/schemata/schema/internal/schematest"
)

// TestFormsGolden renders every testdata/forms/*.avsc in each form and
// compares with the .golden file beside it. Regenerate with -update.
func TestFormsGolden(t *testing.T) {
	t.Parallel()
	schematest.ForEachFile(t, filepath.Join("testdata", "forms", "*.avsc"), func(t *testing.T, file, text string) {
		s := mustParse(t, text)
		var b strings.Builder
		fmt.Fprintf(&b, "text:\n%s\nnormalized:\n%s\ncanonical:\n%s\nfingerprint: %d\n", s.Text(), s.Normalized(), s.CanonicalForm(), int64(s.Fingerprint()))
		for _, d := range s.Deprecations() {
			fmt.Fprintf(&b, "deprecated: %s %s at %s reason=%q sunset=%s replacement=%q\n",
				d.Kind, d.Path, d.Pos, d.Reason, d.Sunset.Format("2006-01-02"), d.Replacement)
		}
		golden.AssertString(t, strings.TrimSuffix(file, ".avsc")+".golden", b.String())
	})
}
