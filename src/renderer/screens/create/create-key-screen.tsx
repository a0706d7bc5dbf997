import { useCallback, useEffect, useRef, useState } from 'react';
import { useSettings, useStores } from '../../stores/hooks';
import { AccountStep } from './account-step';
import { ConnectStep } from './connect-step';
import { CreateStep } from './create-step';
import { OptionsStep } from './options-step';
import { ScopesStep } from './scopes-step';
import { VendorStep } from './vendor-step';
import { emptyDraft, WIZARD_STEPS, type WizardDraft, type WizardStep } from './wizard-draft';

/** vendor → account → scopes → options → create (or paste) → connect a client. */
export function CreateKeyScreen() {
  const stores = useStores();
  const defaultRotate = useSettings((s) => s.settings?.defaultRotateEvery ?? null);
  const [draft, setDraft] = useState<WizardDraft>(() => emptyDraft(defaultRotate));
  const [step, setStep] = useState<WizardStep>('vendor');
  const heading = useRef<HTMLHeadingElement>(null);
  const index = WIZARD_STEPS.findIndex((s) => s.id === step);
  const first = useRef(true);

  useEffect(() => {
    // Moving to a step moves focus to its title, so keyboard and screen-reader users follow.
    if (first.current) {
      first.current = false;
      return;
    }
    heading.current?.focus();
  }, [step]);

  const update = useCallback(
    (patch: Partial<WizardDraft>) => setDraft((d) => ({ ...d, ...patch })),
    [],
  );
  const next = () => {
    const following = WIZARD_STEPS[index + 1];
    if (following) setStep(following.id);
  };
  const back = () => {
    const previous = WIZARD_STEPS[index - 1];
    if (previous && !draft.created) setStep(previous.id);
  };
  const props = { draft, update, next };
  const title = WIZARD_STEPS[index]?.title ?? '';

  return (
    <section className="screen" aria-labelledby="create-title">
      <div className="screen-head">
        <h2 id="create-title">Create a key</h2>
      </div>
      <ol className="wizard-steps" aria-label="Steps">
        {WIZARD_STEPS.map((s, i) => (
          <li
            key={s.id}
            aria-current={s.id === step ? 'step' : undefined}
            className={i < index ? 'done' : ''}
          >
            <span className="wizard-num" aria-hidden="true">
              {i + 1}
            </span>
            {s.title}
          </li>
        ))}
      </ol>
      <div className="wizard-body">
        <h3 ref={heading} tabIndex={-1} className="wizard-title">
          Step {index + 1} of {WIZARD_STEPS.length}: {title}
        </h3>
        {step === 'vendor' ? <VendorStep {...props} /> : null}
        {step === 'account' ? <AccountStep {...props} /> : null}
        {step === 'scopes' ? <ScopesStep {...props} /> : null}
        {step === 'options' ? <OptionsStep {...props} /> : null}
        {step === 'create' ? <CreateStep {...props} /> : null}
        {step === 'connect' ? (
          <ConnectStep {...props} done={() => stores.ui.getState().go('keys')} />
        ) : null}
      </div>
      <div className="wizard-nav">
        {index > 0 && !draft.created ? (
          <button type="button" className="button" onClick={back}>
            Back
          </button>
        ) : null}
        {step === 'connect' ? null : (
          <button
            type="button"
            className="button link"
            onClick={() => stores.ui.getState().go('keys')}
          >
            {draft.created ? 'Finish later' : 'Cancel'}
          </button>
        )}
      </div>
    </section>
  );
}
