// The OpenAI Node SDK's helpers against the gateway: chat.completions.parse() with zodResponseFormat
// (whole and streamed), runTools() with zodFunction tools (whole and streamed), plain tool calls, and
// an image as a data URL. See lib/harness.mjs for the environment.
import OpenAI from "openai";
import { zodFunction, zodResponseFormat } from "openai/helpers/zod";
import { z } from "zod";

import { PNG_DATA_URL, apiKey, assert, baseURL, mock, model, nonEmptyString, run } from "./lib/harness.mjs";

const client = new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 120_000 });

const Review = z.object({
  title: z.string(),
  stars: z.number().int().min(1).max(5),
  pros: z.array(z.string()),
  verdict: z.enum(["watch", "skip"]),
  sequel: z.string().nullable(),
});
const reviewPrompt = [{ role: "user", content: "Review the film Alien (1979) as JSON." }];

const Weather = z.object({ city: z.string(), unit: z.enum(["celsius", "fahrenheit"]) });

function weatherTool(calls) {
  return zodFunction({
    name: "get_weather",
    description: "The current weather in a city",
    parameters: Weather,
    function: async (args) => {
      calls.push(args);
      return { city: args.city, temperature: 18, sky: "cloudy" };
    },
  });
}

await run("openai-sdk", {
  "parse() with zodResponseFormat": async () => {
    const completion = await client.chat.completions.parse({
      model, messages: reviewPrompt, response_format: zodResponseFormat(Review, "review"),
    });
    const review = completion.choices[0].message.parsed;
    assert.ok(review, "parsed is empty");
    Review.parse(review);
    if (mock) {
      const again = await client.chat.completions.parse({
        model, messages: reviewPrompt, response_format: zodResponseFormat(Review, "review"),
      });
      assert.deepEqual(again.choices[0].message.parsed, review, "the mock answers the same request the same way");
    }
  },

  "stream() with zodResponseFormat": async () => {
    const stream = client.chat.completions.stream({
      model, messages: reviewPrompt, response_format: zodResponseFormat(Review, "review"),
    });
    let deltas = 0;
    stream.on("content.delta", () => deltas++);
    const completion = await stream.finalChatCompletion();
    Review.parse(completion.choices[0].message.parsed);
    assert.ok(deltas > 1, `expected the document in several deltas, got ${deltas}`);
  },

  "runTools() with zodFunction": async () => {
    const calls = [];
    const runner = client.chat.completions.runTools({
      model,
      messages: [{ role: "user", content: "What is the weather in Paris? Use the get_weather tool." }],
      tools: [weatherTool(calls)],
    });
    const answer = await runner.finalContent();
    assert.ok(calls.length >= 1, "get_weather was never called");
    Weather.parse(calls[0]);
    nonEmptyString(answer, "the final answer");
    if (mock) {
      assert.match(answer, /get_weather returned \{"city":".*","temperature":18,"sky":"cloudy"\}/);
    }
  },

  "runTools() streamed": async () => {
    const calls = [];
    const runner = client.chat.completions.runTools({
      model, stream: true,
      messages: [{ role: "user", content: "What is the weather in Oslo? Use the get_weather tool." }],
      tools: [weatherTool(calls)],
    });
    const answer = await runner.finalContent();
    assert.ok(calls.length >= 1, "get_weather was never called");
    Weather.parse(calls[0]);
    nonEmptyString(answer, "the final answer");
  },

  "parallel tool calls": async () => {
    const tools = ["get_weather", "get_time"].map((name) => ({
      type: "function",
      function: {
        name, description: name === "get_weather" ? "The weather in a city" : "The local time in a city",
        parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"], additionalProperties: false },
      },
    }));
    const completion = await client.chat.completions.create({
      model, tools, tool_choice: "required",
      messages: [{ role: "user", content: "Call get_weather and get_time for Rome, both at once." }],
    });
    const choice = completion.choices[0];
    assert.equal(choice.finish_reason, "tool_calls");
    for (const call of choice.message.tool_calls) {
      assert.ok(call.id, "a call without an id");
      JSON.parse(call.function.arguments);
    }
    if (mock) {
      assert.deepEqual(choice.message.tool_calls.map((call) => call.function.name), ["get_weather", "get_time"]);
    }
  },

  "an image as a data URL": async () => {
    const completion = await client.chat.completions.create({
      model,
      messages: [{ role: "user", content: [
        { type: "text", text: "What colour is this one-pixel image? Answer in one word." },
        { type: "image_url", image_url: { url: PNG_DATA_URL } },
      ] }],
    });
    nonEmptyString(completion.choices[0].message.content, "the answer");
    if (mock) {
      assert.match(completion.choices[0].message.content, /\[image: image\/png, 70 bytes\]/);
    }
  },
});
