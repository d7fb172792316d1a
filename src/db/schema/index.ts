export * from "./chat";
export * from "./dev";
export * from "./goals";
export * from "./handover";
export * from "./jobs";
export * from "./memory";
export * from "./safety";
export * from "./stats";
