// Every tool the chat agent may call, in a fixed order (the tools block is part of the cached prompt).
import type { ToolDefinition } from "../agent/tool";
import { CORE_TOOLS } from "../agent/tools";
import { READINGS_TOOLS } from "../agent/tools/readings";
import type { Config } from "../config";
import { searchFaqTool } from "../faq";
import { GOAL_TOOLS } from "../goals/tools";
import { handoverTool, intercomSettings } from "../handover";
import type { MemoryPoolCache } from "../memory/cache";
import { memoryTools } from "../memory/tools";

/**
 * The tools of one process; the memory tools share its recall cache with the memory routes. The
 * Intercom handover is offered only when the config sets Intercom up.
 */
export function chatTools(memoryCache: MemoryPoolCache, config?: Config): readonly ToolDefinition[] {
  const intercom = config ? intercomSettings(config) : null;
  return [
    ...CORE_TOOLS,
    ...READINGS_TOOLS,
    ...memoryTools(memoryCache),
    ...GOAL_TOOLS,
    searchFaqTool,
    ...(intercom ? [handoverTool(intercom)] : []),
  ];
}
