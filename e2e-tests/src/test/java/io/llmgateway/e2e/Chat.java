package io.llmgateway.e2e;

import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;

/**
 * Chat requests and answers as the tests build and read them with the OpenAI SDK.
 */
final class Chat {

    private Chat() {
    }

    /**
     * A one-message conversation.
     *
     * @param model    the model
     * @param question what the user says
     * @return the request
     */
    static ChatCompletionCreateParams ask(String model, String question) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage(question).build();
    }

    /**
     * The answer text of the first (only) choice.
     *
     * @param completion the answer
     * @return its text
     */
    static String content(ChatCompletion completion) {
        return completion.choices().getFirst().message().content().orElseThrow();
    }
}
