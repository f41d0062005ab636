// Drives a schemata registry with the @kafkajs/confluent-schema-registry
// client and JSON Schema: registers a schema that references another
// registered subject, encodes a message in the Confluent wire format,
// decodes it with a fresh client (so the schema and its references are read
// back from the registry), and prints what happened as one JSON object.
//
// Usage: node jsonschema.mjs <registry URL>
import registryPkg from '@kafkajs/confluent-schema-registry'

const { SchemaRegistry, SchemaType } = registryPkg

const host = process.argv[2]
if (!host) {
  console.error('usage: node jsonschema.mjs <registry URL>')
  process.exit(2)
}

// The reference's name is the URI used in "$ref"; the client hands
// referenced schemas to its validator under their "$id", so the two agree.
const customerURL = 'https://schemata.example/customer.json'
const customer = {
  $id: customerURL,
  type: 'object',
  properties: { id: { type: 'string' }, name: { type: 'string' } },
  required: ['id'],
  additionalProperties: false,
}
const order = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    quantity: { type: 'integer', minimum: 1 },
    customer: { $ref: customerURL },
  },
  required: ['id', 'quantity', 'customer'],
  additionalProperties: false,
}
// Drops a property from a closed content model: not BACKWARD compatible.
const orderWithoutQuantity = {
  type: 'object',
  properties: { id: { type: 'string' }, customer: { $ref: customerURL } },
  required: ['id', 'customer'],
  additionalProperties: false,
}

const newClient = () => new SchemaRegistry({ host, retry: { retries: 0 } })

// statusOf runs fn and reports the HTTP status of the error it throws, or
// null when it succeeds.
async function statusOf (fn) {
  try {
    await fn()
    return null
  } catch (err) {
    return err.status ?? err.name
  }
}

const writer = newClient()
const { id: customerId } = await writer.register(
  { type: SchemaType.JSON, schema: JSON.stringify(customer) },
  { subject: 'customer-value' },
)
const references = [{ name: customerURL, subject: 'customer-value', version: 1 }]
const { id: orderId } = await writer.register(
  { type: SchemaType.JSON, schema: JSON.stringify(order), references },
  { subject: 'orders-value' },
)

const message = { id: 'o-1', quantity: 2, customer: { id: 'c-1', name: 'Ada' } }
const encoded = await writer.encode(orderId, message)

const reader = newClient()
const decoded = await reader.decode(encoded)
const schema = await reader.getSchema(orderId)

let invalidPayload = null
try {
  await writer.encode(orderId, { id: 'o-2', quantity: 0, customer: { id: 'c-1', extra: true } })
} catch (err) {
  invalidPayload = err.name
}

const result = {
  customerId,
  orderId,
  magicByte: encoded[0],
  encodedId: encoded.readInt32BE(1),
  decoded,
  schemaValidates: schema.isValid(message),
  // The client's lookup sends no references, so look up the schema that
  // needs none.
  lookedUpId: await reader.getRegistryIdBySchema('customer-value', {
    type: SchemaType.JSON, schema: JSON.stringify(customer),
  }),
  latestId: await reader.getLatestSchemaId('orders-value'),
  versionId: await reader.getRegistryId('orders-value', 1),
  invalidPayload,
  incompatibleStatus: await statusOf(() => writer.register(
    { type: SchemaType.JSON, schema: JSON.stringify(orderWithoutQuantity), references },
    { subject: 'orders-value' },
  )),
}
console.log(JSON.stringify(result))
