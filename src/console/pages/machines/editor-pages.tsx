// The pages that hold the definition editor: a new machine, and a new version of one. Each draws
// one diagram, the preview of the text in the editor.
import type { FC } from "hono/jsx";
import type { ApiProblem } from "../../api-client";
import { ProblemMessage } from "../../components";
import { DefinitionEditor, type Diagnostic } from "./editor";
import { machineHref } from "./machine-views";
import { SAMPLES } from "./samples";

export const NewMachinePage: FC<{
  csrf: string;
  sample: string;
  name: string;
  text: string;
  problem?: ApiProblem | undefined;
  diagnostics?: Diagnostic[] | undefined;
}> = ({ csrf, sample, name, text, problem, diagnostics }) => (
  <>
    <h1>New state machine</h1>
    <p class="lead">Start from a sample or paste a Step Functions definition (JSONPath or JSONata).</p>
    <nav class="filters" aria-label="Samples">
      {SAMPLES.map((s) => (
        <a
          href={`/console/machines/~new?sample=${s.id}`}
          class={s.id === sample ? "active" : undefined}
          title={s.description}
        >
          {s.title}
        </a>
      ))}
    </nav>
    {problem ? <ProblemMessage problem={problem} heading="Not saved" /> : null}
    <DefinitionEditor
      csrf={csrf}
      action="/console/machines/~new"
      text={text}
      submitLabel="Create machine"
      diagnostics={diagnostics}
      nameField={name}
    />
  </>
);

/** The definition editor for a new version, on a page of its own: its one diagram is the preview. */
export const EditMachinePage: FC<{
  name: string;
  from: number;
  latestVersion: number;
  csrf: string;
  draft: string;
  problem?: ApiProblem | undefined;
  diagnostics?: Diagnostic[] | undefined;
}> = (p) => (
  <>
    <div class="title-row">
      <h1>Edit {p.name}</h1>
      <span class="badge">
        from version {p.from}
        {p.from === p.latestVersion ? " (latest)" : ` of ${p.latestVersion}`}
      </span>
    </div>
    <p class="lead">
      Saving adds version {p.latestVersion + 1}; running executions keep the version they started with.
    </p>
    {p.problem ? <ProblemMessage problem={p.problem} heading="Not saved" /> : null}
    <DefinitionEditor
      csrf={p.csrf}
      action={`${machineHref(p.name)}/save`}
      text={p.draft}
      submitLabel={`Save as version ${p.latestVersion + 1}`}
      diagnostics={p.diagnostics}
    />
  </>
);
