/**
 * Holds nothing: this module only holds end-to-end tests (under {@code src/test}), which start the
 * built gateway distribution as a process and call it with the OpenAI Java SDK. The descriptor exists
 * because every module of the project has one; the tests run on the class path.
 */
module io.llmgateway.e2e {
}
