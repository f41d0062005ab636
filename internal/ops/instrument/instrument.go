// Package instrument wraps the registry service the HTTP API calls so that
// each domain operation feeds the metrics (registrations by outcome,
// compatibility verdicts and findings by rule ID) and completes the
// request's audit record with what only the domain knows (the version and
// id a registration got, the versions a delete removed).
//
// It is glue between the API's service seam and the operational packages:
// it imports api (for the interface it implements), registry, compat,
// metrics and audit, and nothing imports it but the composition root.
package instrument

import (
	"context"
	"errors"
	"time"

	"github.com/schemata-dev/schemata/api"
	"github.com/schemata-dev/schemata/compat"
	"github.com/schemata-dev/schemata/internal/ops/audit"
	"github.com/schemata-dev/schemata/internal/ops/metrics"
	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/srapi"
)

// Service is an api.Service that observes the calls it forwards. Methods
// it does not override are the wrapped service's.
type Service struct {
	api.Service
	m *metrics.Metrics
}

var _ api.Service = (*Service)(nil)

// Wrap returns next observed by m; m may be nil (audit only).
func Wrap(next api.Service, m *metrics.Metrics) *Service {
	return &Service{Service: next, m: m}
}

// Register forwards to the wrapped service, counts the outcome and its
// findings, and records the version and id in the audit record.
func (s *Service) Register(ctx context.Context, p registry.RegisterParams) (*registry.SubjectVersion, error) {
	sv, err := s.Service.Register(ctx, p)
	if s.m != nil {
		outcome, findings := registrationOutcome(err)
		s.m.ObserveRegistration(outcome)
		if outcome == metrics.OutcomeIncompatible {
			s.m.ObserveCompatibility(false, findings)
		}
	}
	if err == nil && sv != nil {
		audit.Annotate(ctx, func(r *audit.Record) {
			r.Subject, r.Version, r.ID = sv.Subject, sv.Version, sv.SchemaID
		})
	}
	return sv, err
}

// CheckCompatibility forwards to the wrapped service and counts the
// verdict and its findings by rule ID.
func (s *Service) CheckCompatibility(ctx context.Context, p registry.CompatibilityParams) (compat.Result, error) {
	res, err := s.Service.CheckCompatibility(ctx, p)
	if err == nil && s.m != nil {
		s.m.ObserveCompatibility(res.Compatible(), findings(res.Findings))
	}
	return res, err
}

// DeleteVersion forwards to the wrapped service and records the deleted
// version in the audit record.
func (s *Service) DeleteVersion(ctx context.Context, subject string, version int, permanent bool) (int, error) {
	v, err := s.Service.DeleteVersion(ctx, subject, version, permanent)
	if err == nil {
		audit.Annotate(ctx, func(r *audit.Record) { r.Subject, r.Version, r.Permanent = subject, v, permanent })
	}
	return v, err
}

// DeleteSubject forwards to the wrapped service and records the deleted
// versions in the audit record.
func (s *Service) DeleteSubject(ctx context.Context, subject string, permanent bool) ([]int, error) {
	vs, err := s.Service.DeleteSubject(ctx, subject, permanent)
	if err == nil {
		audit.Annotate(ctx, func(r *audit.Record) { r.Subject, r.Versions, r.Permanent = subject, vs, permanent })
	}
	return vs, err
}

func auditDate(t time.Time) string {
	if t.IsZero() {
		return "none"
	}
	return t.UTC().Format(time.DateOnly)
}

// registrationOutcome classifies a registration's error.
func registrationOutcome(err error) (string, []metrics.Finding) {
	if err == nil {
		return metrics.OutcomeRegistered, nil
	}
	var e *registry.Error
	if !errors.As(err, &e) {
		return metrics.OutcomeError, nil
	}
	switch {
	case e.Code == srapi.CodeIncompatibleSchema:
		return metrics.OutcomeIncompatible, findings(e.Findings)
	case e.Code == srapi.CodeInvalidSchema:
		return metrics.OutcomeInvalid, nil
	case e.Code.HTTPStatus() < 500:
		return metrics.OutcomeRefused, nil
	}
	return metrics.OutcomeError, nil
}

func findings(fs []compat.Finding) []metrics.Finding {
	out := make([]metrics.Finding, len(fs))
	for i, f := range fs {
		out[i] = metrics.Finding{RuleID: f.RuleID, Severity: string(f.Severity)}
	}
	return out
}
