import type { Child, FC } from "hono/jsx";
import type { ApiProblem } from "./api-client";

/** A problem+json reply as a sentence a person reads: title, detail, field errors, request id. */
export const ProblemMessage: FC<{ problem: ApiProblem; heading?: string }> = ({ problem, heading }) => (
  <div class="alert error" role="alert">
    <p>
      <strong>{heading ?? problem.title}</strong>
      {heading ? ` — ${problem.title}` : null}: {sentence(problem.detail)}
    </p>
    {problem.errors?.length ? (
      <ul class="field-errors">
        {problem.errors.map((e) => (
          <li>
            {e.pointer ? <code>{e.pointer}</code> : null} {e.message}
          </li>
        ))}
      </ul>
    ) : null}
    {problem.instance ? <p class="muted small">Request id {problem.instance}</p> : null}
  </div>
);

export const Notice: FC<{ kind?: "ok" | "info" | "warn" | "error"; children: Child }> = ({
  kind = "ok",
  children,
}) => (
  <div class={`alert ${kind}`} role={kind === "error" ? "alert" : "status"}>
    {children}
  </div>
);

/** What the last action did: a notice, a problem from the API, either or neither. */
export const Outcome: FC<{ notice?: string | undefined; problem?: ApiProblem | undefined }> = ({
  notice,
  problem,
}) => (
  <>
    {notice ? (
      <Notice>
        <p>{notice}</p>
      </Notice>
    ) : null}
    {problem ? <ProblemMessage problem={problem} /> : null}
  </>
);

/** Pretty JSON in a block; text, never markup, so it is escaped like everything else. */
export const JsonBlock: FC<{ value: unknown; empty?: string }> = ({ value, empty = "—" }) =>
  value === undefined ? (
    <p class="muted">{empty}</p>
  ) : (
    <pre class="json">{JSON.stringify(value, null, 2)}</pre>
  );

/** A time in UTC, wrapping (in a narrow column) between its date and its clock only. */
export const Time: FC<{ iso: string | null | undefined }> = ({ iso }) => {
  if (!iso) return <span class="muted">—</span>;
  const text = formatTime(iso);
  const space = text.indexOf(" ");
  return (
    <time datetime={iso} title={iso}>
      {space < 0 ? (
        text
      ) : (
        <>
          <span class="nowrap">{text.slice(0, space)}</span>{" "}
          <span class="nowrap">{text.slice(space + 1)}</span>
        </>
      )}
    </time>
  );
};

export const StatusBadge: FC<{ status: string }> = ({ status }) => (
  <span class={`badge status-${status.toLowerCase()}`}>{status}</span>
);

export const Empty: FC<{ children: Child }> = ({ children }) => <p class="empty">{children}</p>;

export function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 19)} UTC`;
}

function sentence(text: string): string {
  const t = text.trim();
  if (!t) return t;
  return /[.!?]$/.test(t) ? t : `${t}.`;
}
