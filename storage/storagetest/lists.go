package storagetest

import (
	"reflect"
	"testing"

	"github.com/schemata-dev/schemata/internal/registry"
)

// listFixture registers versions in several subjects, soft-deleting some:
//
//	B.upper  1
//	a.one    1, 2 (deleted), 3
//	a.two    1 (deleted): every version deleted
//	a_x      1
//	b.one    1, 2, 3 (deleted): the latest version is deleted
//
// Subjects sort by byte: upper case before lower case, '.' before '_'.
func listFixture(t *testing.T, s registry.Store) {
	t.Helper()
	for _, r := range []struct {
		subject, text string
		deleted       bool
	}{
		{"a.one", `"a1"`, false},
		{"a.one", `"a2"`, true},
		{"a.one", `"a3"`, false},
		{"a.two", `"t1"`, true},
		{"a_x", `"x1"`, false},
		{"b.one", `"b1"`, false},
		{"b.one", `"b2"`, false},
		{"b.one", `"b3"`, true},
		{"B.upper", `"u1"`, false},
	} {
		v := mustRegister(t, s, r.subject, r.text)
		if r.deleted {
			mustOK(t, "VersionSoftDelete", s.VersionSoftDelete(t.Context(), r.subject, v.Version))
		}
	}
}

func testSchemaList(t *testing.T, s registry.Store) {
	listFixture(t, s)
	tests := []struct {
		name string
		p    registry.SchemaListParams
		want []versionKey
	}{
		{"LiveVersionsOfEverySubject", registry.SchemaListParams{},
			[]versionKey{{"B.upper", 1, false}, {"a.one", 1, false}, {"a.one", 3, false}, {"a_x", 1, false}, {"b.one", 1, false}, {"b.one", 2, false}}},
		{"IncludeDeletedAddsSoftDeleted", registry.SchemaListParams{IncludeDeleted: true},
			[]versionKey{{"B.upper", 1, false}, {"a.one", 1, false}, {"a.one", 2, true}, {"a.one", 3, false}, {"a.two", 1, true}, {"a_x", 1, false}, {"b.one", 1, false}, {"b.one", 2, false}, {"b.one", 3, true}}},
		{"PrefixIsLiteralNotPattern", registry.SchemaListParams{SubjectPrefix: "a_"},
			[]versionKey{{"a_x", 1, false}}},
		{"PrefixWithDeleted", registry.SchemaListParams{SubjectPrefix: "a.", IncludeDeleted: true},
			[]versionKey{{"a.one", 1, false}, {"a.one", 2, true}, {"a.one", 3, false}, {"a.two", 1, true}}},
		{"PrefixIsCaseSensitive", registry.SchemaListParams{SubjectPrefix: "b"},
			[]versionKey{{"b.one", 1, false}, {"b.one", 2, false}}},
		{"LatestOnlyTakesLatestLive", registry.SchemaListParams{LatestOnly: true},
			[]versionKey{{"B.upper", 1, false}, {"a.one", 3, false}, {"a_x", 1, false}, {"b.one", 2, false}}},
		{"LatestOnlyWithDeleted", registry.SchemaListParams{LatestOnly: true, IncludeDeleted: true},
			[]versionKey{{"B.upper", 1, false}, {"a.one", 3, false}, {"a.two", 1, true}, {"a_x", 1, false}, {"b.one", 3, true}}},
		{"OffsetAndLimit", registry.SchemaListParams{Offset: 1, Limit: 2},
			[]versionKey{{"a.one", 1, false}, {"a.one", 3, false}}},
		{"OffsetAfterLatestOnly", registry.SchemaListParams{LatestOnly: true, Offset: 3},
			[]versionKey{{"b.one", 2, false}}},
		{"OffsetPastTheEnd", registry.SchemaListParams{Offset: 100}, nil},
		{"NoMatch", registry.SchemaListParams{SubjectPrefix: "zzz"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := s.SchemaList(t.Context(), tc.p)
			mustOK(t, "SchemaList", err)
			if !reflect.DeepEqual(keysOrNil(got), tc.want) {
				t.Errorf("SchemaList(%+v) = %v, want %v", tc.p, keys(got), tc.want)
			}
			for _, v := range got {
				if v.Schema == nil || v.Schema.ID != v.SchemaID {
					t.Errorf("SchemaList row %s/%d carries schema %+v", v.Subject, v.Version, v.Schema)
				}
			}
		})
	}
}

func testSubjectList(t *testing.T, s registry.Store) {
	listFixture(t, s)
	tests := []struct {
		name string
		p    registry.SubjectListParams
		want []string
	}{
		{"SubjectsWithLiveVersions", registry.SubjectListParams{}, []string{"B.upper", "a.one", "a_x", "b.one"}},
		{"IncludeDeletedAddsFullyDeleted", registry.SubjectListParams{IncludeDeleted: true}, []string{"B.upper", "a.one", "a.two", "a_x", "b.one"}},
		{"DeletedOnlyHasASoftDeletedVersion", registry.SubjectListParams{DeletedOnly: true}, []string{"a.one", "a.two", "b.one"}},
		{"DeletedOnlyWinsOverIncludeDeleted", registry.SubjectListParams{DeletedOnly: true, IncludeDeleted: true}, []string{"a.one", "a.two", "b.one"}},
		{"Prefix", registry.SubjectListParams{Prefix: "a."}, []string{"a.one"}},
		{"PrefixWithDeleted", registry.SubjectListParams{Prefix: "a.", IncludeDeleted: true}, []string{"a.one", "a.two"}},
		{"PrefixIsLiteralNotPattern", registry.SubjectListParams{Prefix: "a_"}, []string{"a_x"}},
		{"OffsetAndLimit", registry.SubjectListParams{Offset: 1, Limit: 2}, []string{"a.one", "a_x"}},
		{"Limit", registry.SubjectListParams{Limit: 1}, []string{"B.upper"}},
		{"NoMatch", registry.SubjectListParams{Prefix: "zzz"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := s.SubjectList(t.Context(), tc.p)
			mustOK(t, "SubjectList", err)
			if len(got) == 0 {
				got = nil
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("SubjectList(%+v) = %q, want %q", tc.p, got, tc.want)
			}
		})
	}
}

func keysOrNil(vs []registry.SubjectVersion) []versionKey {
	if len(vs) == 0 {
		return nil
	}
	return keys(vs)
}
