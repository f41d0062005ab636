package client

import (
	"errors"

	"github.com/schemata-dev/schemata/srapi"
)

// Error is an error answer from the registry: the contract's error, with
// its code table and sentinels in srapi, so callers match codes with
// errors.Is(err, srapi.ErrSubjectNotFound) and never compare messages.
type Error = srapi.Error

// Code is an error code of the contract (srapi.Code).
type Code = srapi.Code

// IsNotFound reports whether err says that a subject, version or schema
// does not exist (codes 40401, 40402 and 40403).
func IsNotFound(err error) bool {
	return errors.Is(err, srapi.ErrSubjectNotFound) || errors.Is(err, srapi.ErrVersionNotFound) ||
		errors.Is(err, srapi.ErrSchemaNotFound)
}
