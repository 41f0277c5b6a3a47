// The tasks an execution is waiting on, and for each `.waitForTaskToken` task a way to finish it
// by hand: what the service that holds its token would send (POST /v1/callbacks/success|failure).
import type { FC } from "hono/jsx";
import type { ApiProblem } from "../../api-client";
import { ProblemMessage, Time } from "../../components";
import { Csrf } from "../../layout";

export interface WaitingTask {
  taskId: string;
  state: string;
  resource: string;
  /** Present for `.waitForTaskToken` tasks: what a callback must carry. */
  taskToken: string | null;
  timeoutAt: string | null;
  heartbeatAt: string | null;
}

export interface CallbackDraft {
  taskId: string;
  output: string;
  error: string;
  cause: string;
}

export const WaitingTasks: FC<{
  action: string;
  tasks: WaitingTask[];
  csrf: string;
  problem?: ApiProblem | undefined;
  draft?: CallbackDraft | undefined;
}> = ({ action, tasks, csrf, problem, draft }) => {
  const callbacks = tasks.filter((t) => t.taskToken !== null);
  if (callbacks.length === 0 && !problem) return null;
  return (
    // data-hold: the running page refreshes itself, but not while someone types in here.
    <section class="card callbacks" data-hold>
      <h2>Waiting for a callback</h2>
      <p class="card-note">
        These tasks wait until their token comes back. Finish one here as the service holding the token would:
        the output becomes the task's result, a failure is caught or fails the execution.
      </p>
      {problem ? <ProblemMessage problem={problem} heading="Not delivered" /> : null}
      {callbacks.map((task) => {
        const mine = draft?.taskId === task.taskId ? draft : undefined;
        const id = `task-${task.taskId}`;
        return (
          <div class="callback">
            <h3>
              {task.state} <span class="muted small">{task.resource}</span>
            </h3>
            <p class="muted small">
              {task.heartbeatAt ? (
                <>
                  Heartbeat due by <Time iso={task.heartbeatAt} />.{" "}
                </>
              ) : null}
              {task.timeoutAt ? (
                <>
                  Times out at <Time iso={task.timeoutAt} />.
                </>
              ) : null}
            </p>
            <div class="grid two">
              <form method="post" action={action}>
                <Csrf token={csrf} />
                <input type="hidden" name="task" value={task.taskId} />
                <input type="hidden" name="outcome" value="success" />
                <p class="form-title">Succeed, with the task's output</p>
                <div class="field">
                  <label for={`${id}-output`}>Output (JSON)</label>
                  <textarea id={`${id}-output`} name="output" class="code short" spellcheck={false}>
                    {mine?.output ?? "{}"}
                  </textarea>
                </div>
                <button type="submit">Send success</button>
              </form>
              <form method="post" action={action}>
                <Csrf token={csrf} />
                <input type="hidden" name="task" value={task.taskId} />
                <input type="hidden" name="outcome" value="failure" />
                <p class="form-title">Or fail, with an error a Catch can match</p>
                <div class="field">
                  <label for={`${id}-error`}>Error</label>
                  <input
                    id={`${id}-error`}
                    name="error"
                    value={mine?.error ?? "Rejected"}
                    spellcheck={false}
                  />
                </div>
                <div class="field">
                  <label for={`${id}-cause`}>
                    Cause <span class="hint">optional</span>
                  </label>
                  <input id={`${id}-cause`} name="cause" value={mine?.cause ?? ""} />
                </div>
                <button type="submit" class="danger">
                  Send failure
                </button>
              </form>
            </div>
          </div>
        );
      })}
    </section>
  );
};
