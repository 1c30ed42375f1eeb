// The Vercel AI SDK against the gateway through @ai-sdk/openai's chat-completions model:
// generateText and streamText with tools (the SDK runs the tool and sends the result back; also a tuple argument),
// generateObject (also with a tuple) and streamObject (response_format json_schema). See lib/harness.mjs for the environment.
import { createOpenAI } from "@ai-sdk/openai";
import { generateObject, generateText, stepCountIs, streamObject, streamText, tool } from "ai";
import { z } from "zod";

import { apiKey, assert, baseURL, mock, model, nonEmptyString, run } from "./lib/harness.mjs";

const openai = createOpenAI({ baseURL, apiKey });
// .chat(): the Chat Completions API (the provider's default model speaks OpenAI's Responses API)
const chat = openai.chat(model);

const Recipe = z.object({
  name: z.string(),
  servings: z.number().int().min(1).max(12),
  ingredients: z.array(z.object({ item: z.string(), grams: z.number().min(0) })),
  vegetarian: z.boolean(),
});
const recipePrompt = "Give me a simple pancake recipe.";

function weatherTools(calls) {
  return {
    get_weather: tool({
      description: "The current weather in a city",
      inputSchema: z.object({ city: z.string(), unit: z.enum(["celsius", "fahrenheit"]) }),
      execute: async (input) => {
        calls.push(input);
        return { city: input.city, temperature: 18, sky: "cloudy" };
      },
    }),
  };
}

await run("vercel-ai", {
  "generateText with tools": async () => {
    const calls = [];
    const result = await generateText({
      model: chat, tools: weatherTools(calls), stopWhen: stepCountIs(4), maxRetries: 0,
      prompt: "What is the weather in Paris? Use the get_weather tool.",
    });
    assert.ok(calls.length >= 1, "get_weather was never executed");
    assert.ok(result.steps.length >= 2, `expected a tool step and an answer step, got ${result.steps.length}`);
    assert.equal(result.steps[0].finishReason, "tool-calls");
    nonEmptyString(result.text, "the final text");
    if (mock) {
      assert.match(result.text, /get_weather returned \{"city":".*","temperature":18,"sky":"cloudy"\}/);
    }
  },

  "streamText with tools": async () => {
    const calls = [];
    const result = streamText({
      model: chat, tools: weatherTools(calls), stopWhen: stepCountIs(4), maxRetries: 0,
      prompt: "What is the weather in Oslo? Use the get_weather tool.",
    });
    let text = "";
    for await (const delta of result.textStream) {
      text += delta;
    }
    assert.ok(calls.length >= 1, "get_weather was never executed");
    nonEmptyString(text, "the streamed text");
    // textStream carries every step's text (a model may say something before its tool calls); result.text only the last step's
    assert.equal(text, (await result.steps).map((step) => step.text).join(""));
    nonEmptyString(await result.text, "the final step's text");
  },

  "generateText with a tuple in a tool's input": async () => {
    // zodSchema writes z.tuple in draft-07 form, which Anthropic refuses in a tool's input_schema
    const Move = z.object({ to: z.tuple([z.number(), z.number()]) });
    const moves = [];
    const result = await generateText({
      model: chat, stopWhen: stepCountIs(4), maxRetries: 0,
      prompt: "Move the cursor to 10, 20. Use the move_cursor tool.",
      tools: { move_cursor: tool({ description: "Moves the cursor", inputSchema: Move,
                                   execute: async (input) => { moves.push(input); return "moved"; } }) },
    });
    assert.ok(moves.length >= 1, "move_cursor was never executed");
    Move.parse(moves[0]);
    nonEmptyString(result.text, "the final text");
  },

  "generateObject": async () => {
    const { object } = await generateObject({ model: chat, schema: Recipe, schemaName: "recipe", prompt: recipePrompt, maxRetries: 0 });
    Recipe.parse(object);
    if (mock) {
      const again = await generateObject({ model: chat, schema: Recipe, schemaName: "recipe", prompt: recipePrompt, maxRetries: 0 });
      assert.deepEqual(again.object, object, "the mock answers the same request the same way");
    }
  },

  "generateObject with a tuple": async () => {
    // zodSchema writes z.tuple in draft-07 form ("items": [...], "additionalItems": false)
    const Place = z.object({ label: z.string(), point: z.tuple([z.number(), z.number()]) });
    const { object } = await generateObject({ model: chat, schema: Place, schemaName: "place", prompt: "Where is Oslo?", maxRetries: 0 });
    Place.parse(object);
  },

  "streamObject": async () => {
    const result = streamObject({ model: chat, schema: Recipe, schemaName: "recipe", prompt: recipePrompt, maxRetries: 0 });
    let partials = 0;
    for await (const partial of result.partialObjectStream) {
      partials++;
      assert.equal(typeof partial, "object");
    }
    Recipe.parse(await result.object);
    assert.ok(partials > 1, `expected several partial objects, got ${partials}`);
  },
});
