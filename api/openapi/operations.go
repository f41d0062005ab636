package openapi

import "net/http"

const (
	get, post, put, del = http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete

	tagSchemas  = "schemas"
	tagSubjects = "subjects"
	tagCompat   = "compatibility"
	tagConfig   = "config"
	tagMode     = "mode"
	tagServer   = "server"
	tagOps      = "operations"
	tagAuth     = "auth"
	tagConsumer = "consumers"
)

var (
	qSubjectPrefix = Param{"subjectPrefix", "string", "Only subjects starting with this prefix."}
	qDeleted       = Param{"deleted", "boolean", "Include soft-deleted entries."}
	qDeletedOnly   = Param{"deletedOnly", "boolean", "Only soft-deleted entries."}
	qOffset        = Param{"offset", "integer", "Skip this many results."}
	qLimit         = Param{"limit", "integer", "Return at most this many results (-1 or absent: all)."}
	// qCappedLimit is the limit of a listing whose pages are capped.
	qCappedLimit   = Param{"limit", "integer", "Return at most this many results; absent, -1 or above the registry's cap (--schema-search-limit for /schemas, --list-limit for /v1 listings, 1000 for tokens): the cap."}
	qFormat        = Param{"format", "string", "Output form: default; Avro resolved (referenced named types written out where first used); Protobuf serialized (base64 FileDescriptorProto) or ignore_extensions (without extend blocks and custom options other than confluent.*). Any other value answers the stored text."}
	qNormalize     = Param{"normalize", "boolean", "Normalize the schema before storing or comparing it."}
	qVerbose       = Param{"verbose", "boolean", "Explain incompatibilities: messages and findings with rule IDs."}
	qPermanent     = Param{"permanent", "boolean", "Delete for good (the version or subject must be soft-deleted first)."}
	qDefaultGlobal = Param{"defaultToGlobal", "boolean", "Answer the global setting when the subject has none."}
	qForce         = Param{"force", "boolean", "Allow IMPORT mode while subjects exist."}
	qForceSunset   = Param{"force", "boolean", "Accept a sunset that is not in the future or is earlier than the element's current one (refused with 42211 otherwise; audited)."}
)

// Operations lists every documented route.
func Operations() []Operation {
	return []Operation{
		// Schemas by id.
		{Method: get, Path: "/schemas", Tag: tagSchemas, Summary: "List schemas (latest or all versions of each subject).",
			Query:    []Param{qSubjectPrefix, qDeleted, {"latestOnly", "boolean", "Only each subject's latest version."}, qOffset, qCappedLimit},
			Response: "SubjectVersionList"},
		{Method: get, Path: "/schemas/types", Tag: tagSchemas, Summary: "Supported schema types.", Response: "StringList"},
		{Method: get, Path: "/schemas/ids/:id", Tag: tagSchemas, Summary: "The schema a global id names (cached, ETag, immutable).",
			Query: []Param{{"subject", "string", "Resolve references in this subject's context."}, qFormat,
				{"fetchMaxId", "boolean", "Add maxId, the highest schema id assigned."}},
			Response: "SchemaByID"},
		{Method: get, Path: "/schemas/ids/:id/schema", Tag: tagSchemas, Summary: "The raw schema text an id names.", Query: []Param{qFormat}, Response: "text"},
		{Method: get, Path: "/schemas/ids/:id/subjects", Tag: tagSchemas, Summary: "Subjects that use a schema id.", Query: []Param{qDeleted, qOffset, qLimit}, Response: "StringList"},
		{Method: get, Path: "/schemas/ids/:id/versions", Tag: tagSchemas, Summary: "Subject versions that use a schema id.", Query: []Param{qDeleted, qOffset, qLimit}, Response: "SubjectVersionPairList"},

		// Subjects.
		{Method: get, Path: "/subjects", Tag: tagSubjects, Summary: "List subjects.", Query: []Param{qSubjectPrefix, qDeleted, qDeletedOnly, qOffset, qLimit}, Response: "StringList"},
		{Method: post, Path: "/subjects/:subject", Tag: tagSubjects, Summary: "Look up a schema under a subject (which version is it?).",
			Query: []Param{qNormalize, qDeleted}, Request: "RegisterRequest", Response: "SubjectVersion"},
		{Method: del, Path: "/subjects/:subject", Tag: tagSubjects, Summary: "Delete a subject (soft, or permanent after a soft delete).",
			Query: []Param{qPermanent}, Response: "IntList"},
		{Method: get, Path: "/subjects/:subject/versions", Tag: tagSubjects, Summary: "A subject's version numbers.", Query: []Param{qDeleted, qDeletedOnly, qOffset, qLimit}, Response: "IntList"},
		{Method: post, Path: "/subjects/:subject/versions", Tag: tagSubjects, Summary: "Register a schema under a subject.",
			Description: "Idempotent: a schema that is already a live version answers its existing id. Incompatible schemas are refused with 409 and the findings; invalid ones with 42201.",
			Query:       []Param{qNormalize}, Request: "RegisterRequest", Response: "RegisterResponse"},
		{Method: get, Path: "/subjects/:subject/versions/:version", Tag: tagSubjects, Summary: "One version of a subject (a number, latest or -1).",
			Query: []Param{qDeleted, qFormat}, Response: "SubjectVersion"},
		{Method: del, Path: "/subjects/:subject/versions/:version", Tag: tagSubjects, Summary: "Delete a version (soft, or permanent after a soft delete).",
			Query: []Param{qPermanent}, Response: "Int"},
		{Method: get, Path: "/subjects/:subject/versions/:version/schema", Tag: tagSubjects, Summary: "A version's raw schema text.", Query: []Param{qDeleted, qFormat}, Response: "text"},
		{Method: get, Path: "/subjects/:subject/versions/:version/referencedby", Tag: tagSubjects, Summary: "Ids of schemas that reference this version.", Response: "IntList"},
		{Method: get, Path: "/subjects/:subject/metadata", Tag: tagSubjects, Summary: "The latest version whose metadata properties hold every key=value pair given.",
			Query: []Param{{"key", "string", "A metadata property name; repeated, paired in order with value."}, {"value", "string", "The value the property must have."}, qDeleted}, Response: "SubjectVersion"},

		// Compatibility.
		{Method: post, Path: "/compatibility/subjects/:subject/versions", Tag: tagCompat, Summary: "Check a schema against the versions the subject's level selects.",
			Query: []Param{qVerbose, qNormalize}, Request: "RegisterRequest", Response: "CompatibilityResponse"},
		{Method: post, Path: "/compatibility/subjects/:subject/versions/:version", Tag: tagCompat, Summary: "Check a schema against one version.",
			Query: []Param{qVerbose, qNormalize}, Request: "RegisterRequest", Response: "CompatibilityResponse"},

		// Config.
		{Method: get, Path: "/config", Tag: tagConfig, Summary: "The global compatibility configuration.", Response: "ConfigResponse"},
		{Method: put, Path: "/config", Tag: tagConfig, Summary: "Set the global configuration (global admins only).", Request: "ConfigRequest", Response: "ConfigRequest"},
		{Method: del, Path: "/config", Tag: tagConfig, Summary: "Reset the global configuration to the server's default.", Response: "ConfigResponse"},
		{Method: get, Path: "/config/:subject", Tag: tagConfig, Summary: "A subject's configuration.", Query: []Param{qDefaultGlobal}, Response: "ConfigResponse"},
		{Method: put, Path: "/config/:subject", Tag: tagConfig, Summary: "Set a subject's configuration.", Request: "ConfigRequest", Response: "ConfigRequest"},
		{Method: del, Path: "/config/:subject", Tag: tagConfig, Summary: "Remove a subject's configuration (it inherits the global one).", Response: "ConfigResponse"},

		// Mode.
		{Method: get, Path: "/mode", Tag: tagMode, Summary: "The global mode.", Response: "Mode"},
		{Method: put, Path: "/mode", Tag: tagMode, Summary: "Set the global mode (global admins only).", Query: []Param{qForce}, Request: "Mode", Response: "Mode"},
		{Method: del, Path: "/mode", Tag: tagMode, Summary: "Reset the global mode to READWRITE.", Response: "Mode"},
		{Method: get, Path: "/mode/:subject", Tag: tagMode, Summary: "A subject's mode.", Query: []Param{qDefaultGlobal}, Response: "Mode"},
		{Method: put, Path: "/mode/:subject", Tag: tagMode, Summary: "Set a subject's mode.", Query: []Param{qForce}, Request: "Mode", Response: "Mode"},
		{Method: del, Path: "/mode/:subject", Tag: tagMode, Summary: "Remove a subject's mode.", Response: "Mode"},

		// Server.
		{Method: get, Path: "/", Tag: tagServer, Summary: "An empty object: the server answers.", Response: "Empty"},
		{Method: get, Path: "/contexts", Tag: tagServer, Summary: "Schema contexts in use, sorted, the default \".\" included.", Response: "StringList"},
		{Method: del, Path: "/contexts/:context", Tag: tagServer, Summary: "Delete a context whose subjects were all deleted permanently; not the default context \".\".", Status: http.StatusNoContent},
		{Method: get, Path: "/v1/metadata/id", Tag: tagServer, Summary: "The server's id.", Response: "ServerID"},
		{Method: get, Path: "/v1/metadata/version", Tag: tagServer, Summary: "The server's version and commit.", Response: "ServerVersion"},

		// Operations.
		{Method: get, Path: "/livez", Tag: tagOps, Summary: "Liveness: 200 while the process serves HTTP.", Response: "HealthStatus", Public: true},
		{Method: get, Path: "/readyz", Tag: tagOps, Summary: "Readiness: 200 when the database is reachable and migrated, else 503.", Response: "HealthStatus", Public: true},
		{Method: get, Path: "/metrics", Tag: tagOps, Summary: "Prometheus metrics (text exposition format).", Response: "text", Public: true},
		{Method: get, Path: "/openapi.json", Tag: tagOps, Summary: "This document.", Response: "Empty", Public: true},

		// Consumers, deprecations and reports (this registry's extension).
		{Method: get, Path: "/v1/consumers", Tag: tagConsumer, Summary: "List registered consumers.",
			Query: []Param{{"subject", "string", "Only consumers reading this subject."}, {"owner", "string", "Only consumers of this owner."}, qOffset, qCappedLimit}, Response: "ConsumerList"},
		{Method: post, Path: "/v1/consumers", Tag: tagConsumer, Summary: "Register a consumer (201 created, 200 identical one exists, 409 name taken).",
			Request: "Consumer", Response: "Consumer", Status: http.StatusCreated},
		{Method: get, Path: "/v1/consumers/:name", Tag: tagConsumer, Summary: "One consumer.", Response: "Consumer"},
		{Method: put, Path: "/v1/consumers/:name", Tag: tagConsumer, Summary: "Create or replace a consumer (idempotent).", Request: "Consumer", Response: "Consumer"},
		{Method: del, Path: "/v1/consumers/:name", Tag: tagConsumer, Summary: "Delete a consumer.", Status: http.StatusNoContent},
		{Method: get, Path: "/v1/consumers/:name/backfill", Tag: tagConsumer, Summary: "Can the consumer re-read every writer version in its backfill window?", Response: "BackfillReport"},
		{Method: post, Path: "/v1/consumers/:name/backfill", Tag: tagConsumer, Summary: "The backfill check for a candidate consumer definition.", Request: "Consumer", Response: "BackfillReport"},
		{Method: get, Path: "/v1/deprecations", Tag: tagConsumer, Summary: "Recorded deprecations.",
			Query: []Param{{"subject", "string", "Only this subject's."}, qSubjectPrefix, qOffset, qCappedLimit}, Response: "DeprecationList"},
		{Method: post, Path: "/v1/deprecations", Tag: tagConsumer, Summary: "Deprecate a field, a version or a subject (201 recorded, 200 updated).",
			Query: []Param{qForceSunset}, Request: "Deprecation", Response: "Deprecation", Status: http.StatusCreated},
		{Method: get, Path: "/v1/deprecations/:id", Tag: tagConsumer, Summary: "One deprecation record.", Response: "Deprecation"},
		{Method: put, Path: "/v1/deprecations/:id", Tag: tagConsumer, Summary: "Replace a record's reason, sunset and replacement.",
			Query: []Param{qForceSunset}, Request: "Deprecation", Response: "Deprecation"},
		{Method: del, Path: "/v1/deprecations/:id", Tag: tagConsumer, Summary: "Delete a deprecation record.", Status: http.StatusNoContent},
		{Method: get, Path: "/v1/reports/deprecations", Tag: tagConsumer, Summary: "Deprecated elements with their sunset, readers and runtime usage.",
			Query: []Param{qSubjectPrefix, {"owner", "string", "Only elements a consumer of this owner still reads."},
				{"overdueOnly", "boolean", "Only elements past their removal date."}, {"usageDays", "integer", "Runtime usage window in days (default 30)."}, qOffset, qCappedLimit},
			Response: "DeprecationReport"},

		// Auth admin.
		{Method: get, Path: "/v1/auth/whoami", Tag: tagAuth, Summary: "The caller's identity and grants.", Response: "Whoami"},
		{Method: get, Path: "/v1/auth/tokens", Tag: tagAuth, Summary: "List API tokens (never their secrets), oldest first.", Query: []Param{qOffset, qCappedLimit}, Response: "TokenInfoList"},
		{Method: post, Path: "/v1/auth/tokens", Tag: tagAuth, Summary: "Create an API token; the answer holds its secret, shown only this once.",
			Request: "CreateTokenRequest", Response: "TokenInfo", Status: http.StatusCreated},
		{Method: del, Path: "/v1/auth/tokens/:id", Tag: tagAuth, Summary: "Revoke an API token.", Status: http.StatusNoContent},
		{Method: get, Path: "/v1/auth/users", Tag: tagAuth, Summary: "List users (configured and database).", Response: "UserInfoList"},
		{Method: put, Path: "/v1/auth/users/:name", Tag: tagAuth, Summary: "Create or replace a database user.", Request: "PutUserRequest", Response: "UserInfo"},
		{Method: del, Path: "/v1/auth/users/:name", Tag: tagAuth, Summary: "Delete a database user.", Status: http.StatusNoContent},
	}
}
