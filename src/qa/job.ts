// The QA queue's handler (declared in src/jobs/queues.ts, loaded on a worker's first QA job so a worker
// that never sees one never loads the chat turn): one question through answerQaQuestion, on a Chat
// the worker process builds once and shares between its QA jobs (one model-call limiter, one memory
// cache, as an api process has).
import { type Chat, createChat } from "../chat/chat";
import type { Deps } from "../infra/deps";
import { createLogger, type Logger } from "../observability/logger";
import { answerQaQuestion, type QaQuestionOutcome } from "./run";

const chats = new WeakMap<Deps, Chat>();

function workerChat(deps: Deps): Chat {
  let chat = chats.get(deps);
  if (!chat) {
    // Its own logger: the job's is bound to the job that happened to come first.
    chat = createChat(deps, createLogger(deps.config.HILO_LOG_LEVEL, { component: "qa" }));
    chats.set(deps, chat);
  }
  return chat;
}

export function answerQaQuestionJob(
  payload: { task_id: string; position: number },
  deps: Deps,
  log: Logger,
): Promise<QaQuestionOutcome> {
  return answerQaQuestion({
    ctx: { chat: workerChat(deps), log },
    input: { taskId: payload.task_id, position: payload.position },
  });
}
