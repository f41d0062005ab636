package api

import (
	"testing"

	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/srapi"
)

// The error handler renders a domain code as the srapi code of the same
// number, so each domain code must mean what the contract says it means.
func TestDomainCodesAreTheContractCodes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		domain registry.Code
		wire   srapi.Code
	}{
		{"SubjectNotFound", registry.CodeSubjectNotFound, srapi.CodeSubjectNotFound},
		{"VersionNotFound", registry.CodeVersionNotFound, srapi.CodeVersionNotFound},
		{"SchemaNotFound", registry.CodeSchemaNotFound, srapi.CodeSchemaNotFound},
		{"SubjectSoftDeleted", registry.CodeSubjectSoftDeleted, srapi.CodeSubjectSoftDeleted},
		{"SubjectNotSoftDeleted", registry.CodeSubjectNotSoftDeleted, srapi.CodeSubjectNotSoftDeleted},
		{"VersionSoftDeleted", registry.CodeVersionSoftDeleted, srapi.CodeVersionSoftDeleted},
		{"VersionNotSoftDeleted", registry.CodeVersionNotSoftDeleted, srapi.CodeVersionNotSoftDeleted},
		{"SubjectCompatNotSet", registry.CodeSubjectLevelCompatNotSet, srapi.CodeSubjectCompatNotSet},
		{"SubjectModeNotSet", registry.CodeSubjectLevelModeNotSet, srapi.CodeSubjectModeNotSet},
		{"ConsumerNotFound", registry.CodeConsumerNotFound, srapi.CodeConsumerNotFound},
		{"DeprecationNotFound", registry.CodeDeprecationNotFound, srapi.CodeDeprecationNotFound},
		{"ConsumerExists", registry.CodeConsumerExists, srapi.CodeConsumerExists},
		{"BadRequest", registry.CodeBadRequest, srapi.CodeBadRequest},
		{"IncompatibleSchema", registry.CodeIncompatibleSchema, srapi.CodeIncompatibleSchema},
		{"InvalidSchema", registry.CodeInvalidSchema, srapi.CodeInvalidSchema},
		{"InvalidVersion", registry.CodeInvalidVersion, srapi.CodeInvalidVersion},
		{"InvalidCompatibilityLevel", registry.CodeInvalidCompatibilityLevel, srapi.CodeInvalidCompatibilityLevel},
		{"InvalidMode", registry.CodeInvalidMode, srapi.CodeInvalidMode},
		{"OperationNotPermitted", registry.CodeOperationNotPermitted, srapi.CodeOperationNotPermitted},
		{"ReferenceExists", registry.CodeReferenceExists, srapi.CodeReferenceExists},
		{"IDInUse", registry.CodeIDInUse, srapi.CodeIDInUse},
		{"InvalidSubject", registry.CodeInvalidSubject, srapi.CodeInvalidSubject},
		{"InvalidConsumer", registry.CodeInvalidConsumer, srapi.CodeInvalidConsumer},
		{"InvalidDeprecation", registry.CodeInvalidDeprecation, srapi.CodeInvalidDeprecation},
		{"StoreError", registry.CodeStoreError, srapi.CodeStoreError},
		{"OperationTimeout", registry.CodeOperationTimeout, srapi.CodeOperationTimeout},
		{"ForwardingError", registry.CodeForwardingError, srapi.CodeForwardingError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if int(tt.domain) != int(tt.wire) {
				t.Errorf("domain code %d, contract code %d", tt.domain, tt.wire)
			}
			if tt.domain.HTTPStatus() != tt.wire.HTTPStatus() {
				t.Errorf("domain status %d, contract status %d", tt.domain.HTTPStatus(), tt.wire.HTTPStatus())
			}
		})
	}
}
