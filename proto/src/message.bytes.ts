import { toBinary, type DescMessage, type MessageShape } from '@bufbuild/protobuf';

/**
 * A message encoded as the Buffer amqplib publishes: a view of the encoded bytes, not a copy
 * (`Buffer.from(toBinary(…))` copies; on the ingress that was an allocation and a copy per webhook).
 * The one way anything on the bus is encoded.
 */
export function messageBytes<Desc extends DescMessage>(schema: Desc, message: MessageShape<Desc>): Buffer {
  const bytes = toBinary(schema, message);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
