// Types of readme-examples.mjs for the TypeScript tests that use it.
export interface Command {
  env: Record<string, string>;
  args: string[];
  stdoutTo: string | null;
}
export interface Step {
  text: string;
  command: Command;
  output: string;
}
export interface ExampleOptions {
  json: boolean;
  stopAt: string | null;
  scale: number | null;
}
export interface Example {
  line: number;
  options: ExampleOptions;
  fence: string;
  steps: Step[];
  start: number;
  end: number;
}
export function parseCommand(text: string): Command;
export function findExamples(readme: string): Example[];
export function replaceOutputs(readme: string, outputs: string[][]): string;
export function shortenReport<T extends { results: unknown[] }>(doc: T): T;
export function compactJson(value: unknown, width?: number, indent?: string): string;
export function jsonPaths(value: unknown): Set<string>;
export function shapeOf(text: string): string[];
