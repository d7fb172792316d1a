// Every tool the chat agent may call, in a fixed order (the tools block is part of the cached prompt).
import type { ToolDefinition } from "../agent/tool";
import { CORE_TOOLS } from "../agent/tools";
import { READINGS_TOOLS } from "../agent/tools/readings";
import { searchFaqTool } from "../faq";
import type { MemoryPoolCache } from "../memory/cache";
import { memoryTools } from "../memory/tools";

/** The tools of one process; the memory tools share its recall cache with the memory routes. */
export function chatTools(memoryCache: MemoryPoolCache): readonly ToolDefinition[] {
  return [...CORE_TOOLS, ...READINGS_TOOLS, ...memoryTools(memoryCache), searchFaqTool];
}
