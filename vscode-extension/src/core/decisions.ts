import { StepView } from './wire';

/**
 * The files of a step whose text in the editor differs from what was proposed: what "Approve with
 * my edits" sends. `current` gives a file's edited text, or undefined when it was never opened.
 */
export function editedFiles(step: StepView, current: (path: string) => string | undefined): Record<string, string> {
  const edited: Record<string, string> = {};
  for (const [path, proposed] of Object.entries(step.files ?? {})) {
    const text = current(path);
    if (text !== undefined && text !== proposed) {
      edited[path] = text;
    }
  }
  return edited;
}
