import { useState } from 'react';
import { CLIENT_KINDS, setupSnippet, type ClientKind } from '../lib/client-snippets';
import { CopyButton } from './copy-button';
import { Tabs } from './tabs';

const TABS = CLIENT_KINDS.map((c) => ({ id: c.kind, title: c.title }));

/**
 * "Set up in …": the exact entry for each AI client, with the token filled in while it is
 * still shown and a placeholder afterwards.
 */
export function ClientSetup(props: {
  slug: string;
  url: string;
  token: string | null;
  initial?: ClientKind;
}) {
  const [kind, setKind] = useState<ClientKind>(props.initial ?? 'cursor');
  const snippet = setupSnippet({ kind, slug: props.slug, url: props.url, token: props.token });
  return (
    <Tabs label="Set up in" tabs={TABS} selected={kind} onSelect={setKind}>
      <p className="field-help">{snippet.where}</p>
      <pre className="snippet" aria-label={`${snippet.title} configuration`}>
        <code>{snippet.text}</code>
      </pre>
      <CopyButton text={snippet.text} label={`Copy ${snippet.title} config`} />
    </Tabs>
  );
}
