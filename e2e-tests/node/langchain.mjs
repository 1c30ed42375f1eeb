// LangChain JS against the gateway: ChatOpenAI.bindTools (whole and streamed, and a round trip with the
// tool's result), withStructuredOutput with a zod schema (its default method: response_format json_schema).
// See lib/harness.mjs for the environment.
import { AIMessage, HumanMessage, ToolMessage } from "@langchain/core/messages";
import { tool } from "@langchain/core/tools";
import { ChatOpenAI } from "@langchain/openai";
import { z } from "zod";

import { apiKey, assert, baseURL, mock, model, nonEmptyString, run } from "./lib/harness.mjs";

const llm = new ChatOpenAI({ model, apiKey, configuration: { baseURL }, maxRetries: 0, timeout: 120_000 });

const Weather = z.object({ city: z.string(), unit: z.enum(["celsius", "fahrenheit"]) });
const getWeather = tool(async ({ city }) => JSON.stringify({ city, temperature: 18, sky: "cloudy" }), {
  name: "get_weather", description: "The current weather in a city", schema: Weather,
});
const question = "What is the weather in Paris? Use the get_weather tool.";

const Movie = z.object({
  title: z.string(),
  year: z.number().int().min(1888).max(2100),
  genres: z.array(z.string()),
  rating: z.number().min(0).max(10),
});

await run("langchain", {
  "bindTools": async () => {
    const message = await llm.bindTools([getWeather]).invoke(question);
    assert.ok(message.tool_calls?.length >= 1, `no tool call in ${JSON.stringify(message)}`);
    assert.equal(message.tool_calls[0].name, "get_weather");
    Weather.parse(message.tool_calls[0].args);
  },

  "bindTools streamed": async () => {
    let whole;
    for await (const chunk of await llm.bindTools([getWeather]).stream(question)) {
      whole = whole === undefined ? chunk : whole.concat(chunk);
    }
    assert.ok(whole?.tool_calls?.length >= 1, `no tool call in the stream: ${JSON.stringify(whole)}`);
    assert.equal(whole.tool_calls[0].name, "get_weather");
    Weather.parse(whole.tool_calls[0].args);
  },

  "a tool round trip": async () => {
    const withTools = llm.bindTools([getWeather]);
    const messages = [new HumanMessage(question)];
    const asked = await withTools.invoke(messages);
    assert.ok(asked instanceof AIMessage && asked.tool_calls.length >= 1, "no tool call");
    messages.push(asked);
    for (const call of asked.tool_calls) {
      messages.push(new ToolMessage({ tool_call_id: call.id, content: await getWeather.invoke(call.args) }));
    }
    const answer = await withTools.invoke(messages);
    nonEmptyString(answer.content, "the final answer");
    if (mock) {
      assert.match(answer.content, /get_weather returned \{"city":".*","temperature":18,"sky":"cloudy"\}/);
    }
  },

  "withStructuredOutput": async () => {
    const movie = await llm.withStructuredOutput(Movie, { name: "movie" }).invoke("Describe the film Alien (1979).");
    Movie.parse(movie);
  },

  "withStructuredOutput streamed": async () => {
    let last;
    for await (const partial of await llm.withStructuredOutput(Movie, { name: "movie" }).stream("Describe the film Alien.")) {
      last = partial;
    }
    Movie.parse(last);
  },
});
