// Package protobuf is the Protobuf format layer of the registry: it compiles
// schema text (with its Confluent references) into linked descriptors,
// validates it, renders the identity and normalized forms, reads deprecation
// markers and indexes element positions for located findings.
//
// Paths name elements by their Protobuf full name: "shop.v1.Order" (message),
// "shop.v1.Order.items" (field or oneof), "shop.v1.Status" (enum) and, unlike
// Protobuf's own scoping, "shop.v1.Status.STATUS_OLD" for enum values, so
// that every element of an enum sits under the enum's path.
//
// It depends on the schema vocabulary package and on the Protobuf libraries
// (protocompile, google.golang.org/protobuf) only; it must not depend on
// compat, registry, storage or transport packages.
package protobuf
