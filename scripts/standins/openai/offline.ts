// What the stand-in answers when no test script matches (the offline demo). Everything is a pure function
// of the request, so the demo and any unscripted test request behave the same on every run.
import type { ChatRequest } from "./chat-request";
import { toolResultsForCurrentTurn } from "./chat-request";
import { sampleFromSchema } from "./json-schema";
import { compileGoalReply, GOAL_COMPILER_SCHEMA, goalAnswer, planGoalCalls } from "./offline-goals";
import {
  followUpQuestions,
  friendlyAnswer,
  keywords,
  summariseToolResults,
  topicPhrase,
} from "./offline-text";
import { type PlannedCall, planToolCalls } from "./offline-tools";

export type OfflineTurn = { kind: "text"; content: string } | { kind: "tool_calls"; calls: PlannedCall[] };

function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

function phraseFor(key: string, lastUserMessage: string): string {
  const k = key.toLowerCase();
  if (/title|name|subject|headline/.test(k)) return topicPhrase(lastUserMessage, 6) || "Health chat";
  if (/lang|locale/.test(k)) return "en";
  if (/question|query/.test(k)) return lastUserMessage || "How are my readings?";
  if (/summary|answer|text|content|message|response|reply|explanation|reason/.test(k)) {
    return friendlyAnswer(lastUserMessage);
  }
  return "Not available offline";
}

export function structuredReply(schema: unknown, lastUserMessage: string): string {
  const value = sampleFromSchema(schema, {
    includeOptional: true,
    phrase: (key) => phraseFor(key, lastUserMessage),
    stringList: (key) =>
      /tag|keyword|topic|categor|label/i.test(key)
        ? keywords(lastUserMessage)
        : followUpQuestions(lastUserMessage),
    today: todayUtc(),
  });
  return JSON.stringify(value);
}

export function offlineTurn(req: ChatRequest): OfflineTurn {
  if (req.responseFormat.type === "json_schema" && req.responseFormat.name === GOAL_COMPILER_SCHEMA) {
    return { kind: "text", content: compileGoalReply(req.lastUserMessage) };
  }
  if (req.responseFormat.type === "json_schema") {
    return { kind: "text", content: structuredReply(req.responseFormat.schema, req.lastUserMessage) };
  }
  if (req.responseFormat.type === "json_object") {
    return { kind: "text", content: JSON.stringify({ answer: friendlyAnswer(req.lastUserMessage) }) };
  }
  const results = toolResultsForCurrentTurn(req.messages);
  // Goal messages take their own tools (two rounds for confirming and progress: list, then the goal).
  const goalCalls = req.tools.length > 0 ? planGoalCalls(req.lastUserMessage, req.tools, results) : null;
  if (goalCalls !== null && goalCalls.length > 0) return { kind: "tool_calls", calls: goalCalls };
  if (results.length > 0) {
    return { kind: "text", content: goalAnswer(results) ?? summariseToolResults(results) };
  }
  const last = req.messages[req.messages.length - 1];
  if (req.tools.length > 0 && last?.role === "user") {
    const calls = planToolCalls(req.lastUserMessage, req.tools, todayUtc());
    if (calls.length > 0) return { kind: "tool_calls", calls };
  }
  return { kind: "text", content: friendlyAnswer(req.lastUserMessage) };
}
