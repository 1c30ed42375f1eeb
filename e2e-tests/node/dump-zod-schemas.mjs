// Writes the JSON schemas that zod-based clients send, for the mock backend's TestSchemaInstances:
//   node dump-zod-schemas.mjs > ../../plugins/backend-mock/src/test/resources/schemas/zod.json
// (the OpenAI SDK's zodResponseFormat and zodFunction, zod's own toJSONSchema, the Vercel AI SDK's zodSchema).
import { zodFunction, zodResponseFormat } from "openai/helpers/zod";
import { zodSchema } from "ai";
import { z } from "zod";

const Address = z.object({ street: z.string(), zip: z.string().regex(/^\d{5}$/) });
const Person = z.object({
  name: z.string().min(2).max(20),
  email: z.email(),
  id: z.uuid(),
  when: z.iso.datetime(),
  day: z.iso.date(),
  at: z.iso.time(),
  age: z.number().int().min(0).max(130),
  score: z.number().multipleOf(0.5).gt(1).lt(10),
  tags: z.array(z.string()).min(1).max(3),
  role: z.enum(["admin", "user"]),
  kind: z.literal("person"),
  nick: z.string().nullable(),
  home: Address,
  work: Address,
  pet: z.union([z.object({ cat: z.boolean() }), z.object({ dog: z.number() })]),
  site: z.url(),
  ip: z.ipv4(),
  shape: z.discriminatedUnion("type", [
    z.object({ type: z.literal("circle"), radius: z.number().positive() }),
    z.object({ type: z.literal("square"), side: z.number().int().nonnegative() }),
  ]),
});
const WithTuple = Person.extend({ pair: z.tuple([z.string(), z.number()]) });
const Tree = z.object({ value: z.string(), get children() { return z.array(Tree); } });
const Loose = z.object({
  q: z.string(),
  limit: z.number().int().optional(),
  filters: z.record(z.string(), z.string()).optional(),
  mode: z.enum(["fast", "slow"]).default("fast"),
  cuid: z.cuid().optional(),
  nano: z.nanoid().optional(),
  emoji: z.emoji().optional(),
  b64: z.base64().optional(),
  when: z.iso.datetime({ offset: true }).optional(),
});
const Weather = z.object({ city: z.string().describe("City name"), unit: z.enum(["c", "f"]).nullable() });

const out = {
  "zod Person (zodResponseFormat)": zodResponseFormat(Person, "person").json_schema.schema,
  "zod Tree (zodResponseFormat)": zodResponseFormat(Tree, "tree").json_schema.schema,
  "zod Weather (zodFunction)": zodFunction({ name: "get_weather", parameters: Weather }).function.parameters,
  "zod Person (toJSONSchema)": z.toJSONSchema(WithTuple),
  "zod Tree (toJSONSchema)": z.toJSONSchema(Tree),
  "zod Loose (toJSONSchema)": z.toJSONSchema(Loose),
  "zod Loose (Vercel zodSchema)": zodSchema(Loose).jsonSchema,
  "zod Person (Vercel zodSchema)": zodSchema(WithTuple).jsonSchema,
};
console.log(JSON.stringify(out, null, 1));
