package dev.orchestrator.core.internal;

import dev.orchestrator.spi.provider.Message;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.spi.provider.ProviderResponse;
import dev.orchestrator.spi.provider.ToolCall;
import dev.orchestrator.spi.provider.ToolSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a task's provider consults its collaborators: the {@code ask(provider, question)} tool offered natively to a
 * provider with tool calling, and for any other the text protocol (a reply that is only {@code ASK <provider>:
 * <question>}). Also what a consulted provider is asked. Stateless.
 */
final class AskProtocol {
  static final String TOOL = "ask";
  /** The provider name that lets the project's learning strategy choose the collaborator. */
  static final String AUTO = "auto";
  static final ToolSpec ASK = ToolSpec.of(TOOL, "Ask another AI assistant a question and get its answer before you "
      + "give your own. Use it only when another view helps the task.", params());
  /** A reply of the text protocol: {@code ASK claude: the question}, alone in the reply. */
  private static final Pattern TEXT_ASK = Pattern.compile("(?s)\\AASK\\s+([A-Za-z0-9_-]+)\\s*:\\s*(.+)\\z");

  private AskProtocol() {}

  private static Map<String, String> params() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("provider", "the name of the assistant to ask, one of those the instructions list, or auto to let the "
        + "engine choose the best one for the task");
    p.put("question", "the question, complete in itself: the assistant sees nothing else of the task");
    return p;
  }

  /** The author's request for the conversation so far: the task's request with the conversation and the ask tool. */
  static ProviderRequest request(ProviderRequest task, Conversation c, List<String> collaborators) {
    String note = c.nativeTools
        ? "You may consult other AI assistants before you answer, with the ask tool: " + String.join(", ",
            collaborators) + " (or auto, to let the engine choose). You may ask at most " + c.maxExchanges + " question(s) in all; each answer comes back "
            + "as the tool's result. When you are done, give your final answer as usual."
        : "You may consult other AI assistants before you answer: " + String.join(", ", collaborators) + " (or auto, "
            + "to let the engine choose). To ask "
            + "one, reply with only this line and nothing else:\nASK <assistant>: <your question>\nThe answer comes "
            + "back in the next message. You may ask at most " + c.maxExchanges + " question(s) in all. When you "
            + "are done, reply with your final answer, which must not start with ASK.";
    String system = task.system() == null ? note : task.system() + "\n\n" + note;
    ProviderRequest.Builder b = task.toBuilder().system(system).messages(List.copyOf(c.messages));
    if (c.nativeTools) {
      b.tools(List.of(ASK));
    } else {
      b.prompt(Message.transcript(c.messages));
    }
    return b.build();
  }

  /** The questions of an author's reply: its calls of the ask tool (natively), or its text protocol line. */
  static List<ToolCall> asks(ProviderResponse reply, boolean nativeTools, int turn) {
    if (nativeTools) {
      return reply.toolCalls();
    }
    Matcher m = TEXT_ASK.matcher(reply.text().strip());
    if (!m.matches()) {
      return List.of();
    }
    Map<String, String> args = new LinkedHashMap<>();
    args.put("provider", m.group(1));
    args.put("question", m.group(2).strip());
    return List.of(ToolCall.of("ask-" + turn, TOOL, args));
  }

  /** The author's turn as the conversation keeps it. */
  static Message authorTurn(ProviderResponse reply, List<ToolCall> asks, boolean nativeTools) {
    return nativeTools ? Message.assistant(reply.text(), asks) : Message.assistant(reply.text());
  }

  /** The answer to an ask as the conversation keeps it: a tool result, or a user message in the text protocol. */
  static Message answer(ToolCall ask, String text, boolean nativeTools) {
    if (nativeTools) {
      return Message.toolResult(ask, text);
    }
    return Message.user("Answer from " + ask.argument("provider").strip() + ":\n" + text);
  }

  /** What a collaborator is asked. */
  static ProviderRequest consultation(TaskNode n, String author, String question) {
    ProviderRequest.Builder b = ProviderRequest.builder().prompt(question)
        .system("Another AI assistant (" + author + "), working on a task, asks for your view. Answer its question "
            + "directly and concisely; you cannot ask anything back.")
        .taskType(n.spec.taskType()).timeout(n.spec.timeout());
    if (n.spec.maxOutputTokens() != null) {
      b.maxOutputTokens(n.spec.maxOutputTokens());
    }
    return b.build();
  }

  /** The collaborators that may answer a question to {@code named}: it first, then the task's others in order. */
  static List<String> failoverOrder(List<String> collaborators, String named) {
    List<String> out = new ArrayList<>(collaborators.size());
    out.add(named);
    for (String c : collaborators) {
      if (!c.equals(named)) {
        out.add(c);
      }
    }
    return out;
  }
}
