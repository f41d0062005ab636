package instrument_test

import (
	"context"
	"errors"
	"testing"

	"github.com/schemata-dev/schemata/api"
	"github.com/schemata-dev/schemata/compat"
	"github.com/schemata-dev/schemata/internal/ops/instrument"
	"github.com/schemata-dev/schemata/internal/ops/metrics"
	"github.com/schemata-dev/schemata/internal/ops/metrics/metricstest"
	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/srapi"
)

// fake answers Register with a fixed result; other methods are unused.
type fake struct {
	api.Service
	err error
}

func (f fake) Register(_ context.Context, p registry.RegisterParams) (*registry.SubjectVersion, error) {
	if f.err != nil {
		return nil, f.err
	}
	return &registry.SubjectVersion{Subject: p.Subject, Version: 2, SchemaID: 7}, nil
}

func TestRegistrationOutcomes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		err     error
		outcome string
	}{
		{"Registered", nil, metrics.OutcomeRegistered},
		{"Incompatible", &registry.Error{Code: srapi.CodeIncompatibleSchema, Findings: []compat.Finding{
			{RuleID: "AVRO_FIELD_ADDED_WITHOUT_DEFAULT", Severity: compat.Error}}}, metrics.OutcomeIncompatible},
		{"Invalid", registry.Errorf(srapi.CodeInvalidSchema, "bad"), metrics.OutcomeInvalid},
		{"Refused", registry.Errorf(srapi.CodeOperationNotPermitted, "read-only"), metrics.OutcomeRefused},
		{"StoreError", registry.Errorf(srapi.CodeStoreError, "down"), metrics.OutcomeError},
		{"UnknownError", errors.New("boom"), metrics.OutcomeError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := metrics.New()
			svc := instrument.Wrap(fake{err: tt.err}, m)
			_, err := svc.Register(context.Background(), registry.RegisterParams{Subject: "s"})
			if !errors.Is(err, tt.err) {
				t.Fatalf("Register error = %v, want %v passed through", err, tt.err)
			}
			mfs := metricstest.Scrape(t, m.Handler())
			got := map[string]float64{}
			for _, mt := range mfs["schemata_registrations_total"].GetMetric() {
				got[mt.GetLabel()[0].GetValue()] = mt.GetCounter().GetValue()
			}
			if len(got) != 1 || got[tt.outcome] != 1 {
				t.Errorf("registrations = %v, want one %s", got, tt.outcome)
			}
			_, findings := mfs["schemata_compatibility_findings_total"]
			if findings != (tt.outcome == metrics.OutcomeIncompatible) {
				t.Errorf("findings recorded = %v for outcome %s", findings, tt.outcome)
			}
		})
	}
}
