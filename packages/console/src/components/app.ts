import {
  type AskRequest,
  type Confirmation,
  type ContextEnvelope,
  PROVIDER_NAMES,
  type RouterClient,
} from '@ocsai/client';
import { html } from 'htm/preact';
import { useEffect, useMemo, useReducer, useRef, useState } from 'preact/hooks';
import {
  createClient,
  describeError,
  fetchModelIds,
  fetchPrincipal,
  groupModels,
  isUnauthorized,
  type PrincipalInfo,
  type ProviderModels,
  routerBaseUrl,
} from '../router-connection.js';
import { DEFAULT_USER_ID, isValidUserId, loadSession, saveSession } from '../session.js';
import { conversationReducer, INITIAL_STATE, isBusy, type TurnRequest } from '../state.js';
import { ApiKeyDialog } from './api-key-dialog.js';
import { ConfirmationDialog } from './confirmation-dialog.js';
import { ContextPanel } from './context-panel.js';
import { Conversation } from './conversation.js';
import { SubscriberPanel } from './subscriber-panel.js';

type View = 'chat' | 'subscriber' | 'context';

interface KeyRequest {
  promise: Promise<string | null>;
  resolve: (key: string | null) => void;
}

export function App() {
  const baseUrl = useMemo(() => routerBaseUrl(window.location), []);
  const [state, dispatch] = useReducer(conversationReducer, INITIAL_STATE);
  const [userId, setUserId] = useState(() => loadSession('userId') || DEFAULT_USER_ID);
  const [userIdDraft, setUserIdDraft] = useState(userId);
  const [provider, setProvider] = useState(() => loadSession('provider'));
  const [model, setModel] = useState(() => loadSession('model'));
  const [catalogue, setCatalogue] = useState<ProviderModels[]>([]);
  const [routerVersion, setRouterVersion] = useState('');
  const [principal, setPrincipal] = useState<PrincipalInfo | null>(null);
  const [view, setView] = useState<View>('chat');
  const [confirmOpen, setConfirmOpen] = useState(false);
  const [keyDialog, setKeyDialog] = useState<{ open: boolean; rejected: boolean }>({
    open: false,
    rejected: false,
  });
  const [contextRefresh, setContextRefresh] = useState(0);
  const apiKey = useRef(loadSession('apiKey'));
  const keyRequest = useRef<KeyRequest | null>(null);
  const abort = useRef<AbortController | null>(null);

  /** One prompt for all requests that hit a 401 at the same time. */
  const requestKey = (rejected: boolean): Promise<string | null> => {
    if (keyRequest.current) return keyRequest.current.promise;
    let resolve: (key: string | null) => void = () => {};
    const promise = new Promise<string | null>((r) => {
      resolve = r;
    });
    keyRequest.current = { promise, resolve };
    setKeyDialog({ open: true, rejected });
    return promise;
  };
  const answerKeyRequest = (key: string | null) => {
    if (key !== null) {
      apiKey.current = key;
      saveSession('apiKey', key);
    }
    setKeyDialog({ open: false, rejected: false });
    keyRequest.current?.resolve(key);
    keyRequest.current = null;
  };

  /** Runs a router call, asking for an API key (again) for as long as the router answers 401. */
  const withAuth = async <T>(run: (client: RouterClient, key: string) => Promise<T>): Promise<T> => {
    for (;;) {
      const key = apiKey.current;
      try {
        return await run(createClient(baseUrl, key), key);
      } catch (error) {
        if (!isUnauthorized(error)) throw error;
        const next = await requestKey(key !== '');
        if (next === null) throw error;
      }
    }
  };

  useEffect(() => {
    withAuth((client) => client.health())
      .then((health) => setRouterVersion(health.version))
      .catch(() => setRouterVersion(''));
    withAuth((_client, key) => fetchPrincipal(baseUrl, key))
      .then(setPrincipal)
      .catch(() => setPrincipal(null));
    withAuth((_client, key) => fetchModelIds(baseUrl, key))
      .then((ids) => setCatalogue(groupModels(ids)))
      .catch(() => setCatalogue([]));
  }, []);

  const providers = catalogue.length > 0 ? catalogue.map((c) => c.provider) : [...PROVIDER_NAMES];
  const models = catalogue.find((c) => c.provider === provider)?.models ?? [];

  const runTurn = async (request: TurnRequest, body: AskRequest) => {
    const controller = new AbortController();
    abort.current = controller;
    dispatch({ type: 'turn_started', request });
    let received = 0;
    try {
      await withAuth(async (client) => {
        if (received > 0) throw new Error('The router asked for a key in the middle of an answer.');
        for await (const event of client.askStream(body, { signal: controller.signal })) {
          received++;
          dispatch({ type: 'stream_event', event });
          if (event.type === 'confirmation') setConfirmOpen(true);
        }
      });
    } catch (error) {
      dispatch({
        type: 'turn_failed',
        message: controller.signal.aborted ? 'Stopped.' : describeError(error),
      });
    } finally {
      abort.current = null;
      setContextRefresh((n) => n + 1);
    }
  };

  const routing = (): Pick<AskRequest, 'provider' | 'model'> => ({
    ...(provider ? { provider: provider as AskRequest['provider'] } : {}),
    ...(provider && model ? { model } : {}),
  });

  const send = (text: string) =>
    void runTurn({ kind: 'message', text }, { message: text, user_id: userId, stream: true, ...routing() });

  const answerConfirmation = (confirmation: Confirmation, approve: boolean) => {
    setConfirmOpen(false);
    dispatch({ type: 'confirmation_answered', id: confirmation.id, approve });
    void runTurn(
      { kind: 'confirm', approve, tool: confirmation.tool, confirmationId: confirmation.id },
      // Only the answer: the held conversation already knows its provider and model.
      { user_id: userId, confirm: { id: confirmation.id, approve }, stream: true },
    );
  };

  const applyUserId = () => {
    const next = userIdDraft.trim();
    if (!isValidUserId(next) || next === userId) return;
    setUserId(next);
    saveSession('userId', next);
    dispatch({ type: 'cleared' });
  };
  const userIdInvalid = !isValidUserId(userIdDraft.trim());

  const busy = isBusy(state);
  const pendingCount = state.pendingConfirmation ? 1 : 0;
  const tab = (id: View, label: string) =>
    html`<button type="button" class="tab" aria-pressed=${view === id} onClick=${() => setView(id)}>${label}</button>`;

  return html`
    <a class="skip-link" href="#message">Skip to message box</a>
    <header class="topbar">
      <h1>OCS operator console</h1>
      <div class="controls">
        <div class="control">
          <label for="user-id">User id</label>
          <input
            id="user-id"
            value=${userIdDraft}
            aria-invalid=${userIdInvalid}
            aria-describedby="user-id-hint"
            spellcheck=${false}
            autocomplete="off"
            onInput=${(event: Event) => setUserIdDraft((event.target as HTMLInputElement).value)}
            onChange=${applyUserId}
            onKeyDown=${(event: KeyboardEvent) => event.key === 'Enter' && applyUserId()}
          />
          <span id="user-id-hint" class=${userIdInvalid ? 'error small' : 'visually-hidden'}>
            1-128 characters: letters, digits and . _ @ : -
          </span>
        </div>
        <div class="control">
          <label for="provider">Provider</label>
          <select
            id="provider"
            value=${provider}
            onChange=${(event: Event) => {
              const value = (event.target as HTMLSelectElement).value;
              setProvider(value);
              setModel('');
              saveSession('provider', value);
              saveSession('model', '');
            }}
          >
            <option value="">Default</option>
            ${providers.map((p) => html`<option value=${p}>${p}</option>`)}
          </select>
        </div>
        <div class="control">
          <label for="model">Model</label>
          <select
            id="model"
            value=${model}
            disabled=${!provider}
            onChange=${(event: Event) => {
              const value = (event.target as HTMLSelectElement).value;
              setModel(value);
              saveSession('model', value);
            }}
          >
            <option value="">Default</option>
            ${models.map((m) => html`<option value=${m}>${m}</option>`)}
          </select>
        </div>
      </div>
    </header>
    <nav class="tabs" aria-label="Panels">
      ${tab('chat', 'Chat')} ${tab('subscriber', 'Subscriber')} ${tab('context', 'Context')}
    </nav>
    <main class="layout" data-view=${view}>
      <${Conversation}
        turns=${state.turns}
        busy=${busy}
        pendingConfirmation=${state.pendingConfirmation}
        onSend=${send}
        onStop=${() => abort.current?.abort()}
        onReview=${() => setConfirmOpen(true)}
      />
      <aside class="side" aria-label="Subscriber and context">
        <${SubscriberPanel} entities=${state.entities} />
        <${ContextPanel}
          userId=${userId}
          refreshKey=${contextRefresh}
          load=${() => withAuth((client) => client.getContext(userId))}
          save=${(envelope: ContextEnvelope) => withAuth((client) => client.putContext(userId, envelope))}
        />
      </aside>
    </main>
    <footer class="footer muted small">
      ${routerVersion ? `Router ${routerVersion}` : 'Router not reachable'} ·
      <span data-testid="principal">
        ${
          principal
            ? ` acting as ${principal.name} (${principal.id}${principal.roles.length ? `; roles: ${principal.roles.join(', ')}` : ''})`
            : ' principal unknown'
        }
      </span>
      ·
      ${pendingCount ? ' 1 action awaiting approval' : ' no pending approvals'}
    </footer>
    <${ConfirmationDialog}
      open=${confirmOpen}
      confirmation=${state.pendingConfirmation}
      onAnswer=${answerConfirmation}
      onDismiss=${() => setConfirmOpen(false)}
    />
    <${ApiKeyDialog}
      open=${keyDialog.open}
      rejected=${keyDialog.rejected}
      onSubmit=${(key: string) => answerKeyRequest(key)}
      onCancel=${() => answerKeyRequest(null)}
    />
  `;
}
