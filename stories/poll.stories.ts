import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { ref } from 'lit/directives/ref.js';
import { until } from 'lit/directives/until.js';
import '../components/index.js';
import { createSigner } from '../src/identity/keys.js';
import { PollModel } from '../src/models/poll.js';
import type { Ballot, PollConfig, PollKind, PollOption, ResultsVisibility } from '../src/models/poll.types.js';
import type { MemoryNetwork } from '../src/room/memory-room.js';
import { DEFAULT_ROOM_OPTIONS } from '../src/room/options.js';
import { dateOf, failingSigner, langControl, numberOf, themeControl, themeOf, tokenStyles, unsigned, type ThemeArg } from './helpers/controls.js';
import { storyPeers, storyRoom, storyRoomName, twoPeers, type StoryPeer } from './helpers/memory.js';

interface PollArgs {
  question: string;
  options: string;
  lang: string;
  kind: PollKind;
  results: ResultsVisibility;
  theme: ThemeArg;
  /** A date control's milliseconds, or an ISO date-time. */
  closes?: number | string;
  quorum?: number;
  max?: number;
  min?: number;
  anonymous: boolean;
  export?: 'organizers' | 'everyone';
  dir?: 'ltr' | 'rtl';
}

const OPTIONS = 'Tuesday, Wednesday, Thursday';

/** The poll's options from the comma-separated `options` arg: ids are the labels in lower case (time polls: the labels are the ids). */
const storyOptions = (options: string): PollOption[] =>
  options
    .split(',')
    .map((label) => label.trim())
    .filter(Boolean)
    .map((label) => ({ id: /^\d{4}-/.test(label) ? label : label.toLowerCase(), label }));

/** The configuration the widget makes of the same args (for the other visitors' models that seed a story's room). */
const configOf = (args: PollArgs): PollConfig => ({
  kind: args.kind,
  question: args.question,
  options: storyOptions(args.options),
  results: args.results,
  ...(dateOf(args.closes) ? { closes: dateOf(args.closes) } : {}),
  ...(numberOf(args.quorum) !== undefined ? { quorum: args.quorum } : {}),
  ...(numberOf(args.max) !== undefined ? { max: args.max } : {}),
  ...(numberOf(args.min) !== undefined ? { min: args.min } : {}),
  ...(args.anonymous ? { anonymous: true } : {}),
});

/** The poll, every control of the story on it (attributes, and the `--gather-*` tokens as its style), in `room` as `peer`. */
const renderPoll = (args: PollArgs, peer: StoryPeer = storyPeers(1)[0]!, room = storyRoomName(), organizer?: string) => html`
  <gather-room room=${room} .source=${peer.source} .signer=${peer.signer} lang=${args.lang} dir=${ifDefined(args.dir)}>
    <gather-poll
      name="evening"
      question=${args.question}
      kind=${args.kind}
      results=${args.results}
      theme=${ifDefined(themeOf(args.theme))}
      organizer=${ifDefined(organizer)}
      closes=${ifDefined(dateOf(args.closes))}
      quorum=${ifDefined(numberOf(args.quorum))}
      max=${ifDefined(numberOf(args.max))}
      min=${ifDefined(numberOf(args.min))}
      ?anonymous=${args.anonymous}
      export=${ifDefined(args.export)}
      style=${tokenStyles(args)}
    >
      ${storyOptions(args.options).map(({ id, label }) => html`<option value=${id}>${label}</option>`)}
    </gather-poll>
  </gather-room>
`;

/** Other visitors' ballots, written into `room` before the story's visitor looks. */
async function seed(network: MemoryNetwork, room: string, config: PollConfig, ballots: readonly Ballot[]): Promise<void> {
  const doc = network.source().acquire(room, DEFAULT_ROOM_OPTIONS).doc;
  // A poll past its closing time: the ballots were cast the day before it closed.
  const closes = config.closes ? Date.parse(config.closes) : NaN;
  const now = closes < Date.now() ? () => closes - 86_400_000 : Date.now;
  for (const ballot of ballots) {
    const model = new PollModel(doc, 'evening', config, await createSigner(), { room, now });
    await model.vote(ballot);
    model.destroy();
  }
}

/** A story of `kind` with others' `ballots` already in the room. */
const withBallots = (kind: PollKind, ballots: readonly Ballot[], args: Partial<PollArgs> = {}): Story => ({
  args: { kind, ...args },
  render: (all) => {
    const { network, me, room } = storyRoom();
    void seed(network, room, configOf(all), ballots);
    return renderPoll(all, me, room);
  },
});

/** Two visitors side by side for one kind: vote in one, watch the other. */
const twoOf = (kind: PollKind, args: Partial<PollArgs> = {}): Story => ({
  name: `Two peers / ${kind}`,
  args: { kind, results: 'always', ...args },
  render: (all) => twoPeers((peer, room) => renderPoll(all, peer, room)),
});

/** Long labels for the 40-option story (`#`: its number; no commas, which separate the `options` arg). */
const LONG_OPTIONS = [
  '#: the community garden behind the library if the city renews the lease for another season',
  '#: a potluck in the church hall with childcare in the side room and a ramp at the back door',
  '#: the union office on Fifth Street (second floor; the lift is out of order on weekends)',
  '#: online only with a phone-in number for members without a computer or a data plan',
  '#: the school gym which fits everyone but echoes so interpreters would need microphones',
];

/** The 40 long labels, comma-separated as the `options` arg takes them. */
const FORTY = Array.from({ length: 40 }, (_, i) => LONG_OPTIONS[i % LONG_OPTIONS.length]!.replace('#', `Option ${i + 1}`)).join(', ');

const TIMES = '2026-12-03T18:00-05:00, 2026-12-04T18:00-05:00, 2026-12-05T10:00-05:00';

/**
 * `<gather-poll>`: a poll shared by everyone in a room, peer to peer, of any kind: single
 * choice, approval, ranked (instant-runoff), score, consent, time. Options are child `<option>`
 * elements, readable as a plain list before the script loads. Stories run on linked in-memory
 * rooms: no network.
 */
const meta: Meta<PollArgs> = {
  title: 'Widgets/Poll',
  component: 'gather-poll',
  args: { question: 'Which evening works for the assembly?', options: OPTIONS, lang: 'en', kind: 'single', results: 'after-vote', theme: 'auto', anonymous: false },
  argTypes: {
    question: { control: 'text' },
    options: { control: 'text', description: 'The `<option>` children, comma-separated (for `time`: ISO date-times)', table: { category: 'story' } },
    lang: langControl,
    theme: themeControl,
    kind: { control: 'select', options: ['single', 'multiple', 'ranked', 'score', 'consent', 'time'] },
    results: { control: 'inline-radio', options: ['always', 'after-vote', 'after-close'] },
    closes: { control: 'date', description: 'After this date and time ballots no longer count (an ISO date-time attribute)' },
    quorum: { control: { type: 'number', min: 1, step: 1 } },
    max: { control: { type: 'number', min: 1, step: 1 } },
    min: { control: { type: 'number', step: 1 } },
    anonymous: { control: 'boolean' },
    export: { control: 'inline-radio', options: ['organizers', 'everyone'] },
    dir: { control: 'inline-radio', options: ['ltr', 'rtl'], description: '`dir` on the `<gather-room>`', table: { category: 'story' } },
  },
  render: (args) => renderPoll(args),
};
export default meta;

type Story = StoryObj<PollArgs>;

/** Try it: choose an option and vote. */
export const Playground: Story = {};

/** Results after voting, with ballots from three other visitors already in the room. */
export const Voted: Story = {
  name: 'States / Voted, with others',
  render: (args) => {
    const { network, me, room } = storyRoom();
    const config = configOf(args);
    void (async () => {
      await seed(network, room, config, ['tuesday', 'thursday', 'thursday']);
      const mine = new PollModel(network.source().acquire(room, DEFAULT_ROOM_OPTIONS).doc, 'evening', config, await me.signer, { room });
      await mine.vote('thursday');
      mine.destroy();
    })();
    return renderPoll(args, me, room);
  },
};

/** Results hidden until this visitor votes: the poll still says how many have voted. */
export const HiddenUntilVote: Story = { name: 'States / Results after voting', ...withBallots('single', ['tuesday', 'wednesday']) };

/** Closed by an organizer (this visitor): results for all, no voting, Reopen offered. */
export const Closed: Story = {
  name: 'States / Closed',
  args: { quorum: 5 },
  render: (args) => {
    const { network, me, room } = storyRoom();
    const config = configOf(args);
    const organizer = me.signer.then(async (signer) => {
      await seed(network, room, config, ['tuesday', 'thursday']);
      const model = new PollModel(network.source().acquire(room, DEFAULT_ROOM_OPTIONS).doc, 'evening', config, signer, { room, organizers: [signer.publicKey] });
      await model.close();
      model.destroy();
      return renderPoll(args, me, room, signer.publicKey);
    });
    return html`${until(organizer)}`;
  },
};

/** Closed by its closing time (`closes`, here in the past): ballots no longer count, results for all. */
export const ClosedByTime: Story = {
  name: 'States / Closed by its closing time',
  ...withBallots('single', ['tuesday', 'thursday', 'thursday'], { closes: '2026-01-15T18:00:00-05:00' }),
};

/** Open until a closing time ahead: the poll says when (and, with no organizer named, that each visitor's clock decides). */
export const ClosesLater: Story = {
  name: 'States / Closes later',
  ...withBallots('single', ['tuesday'], { closes: `${new Date().getFullYear() + 1}-12-01T18:00:00-05:00`, results: 'always' }),
};

/** `results="after-close"`: nobody sees the counts until the poll closes, only how many have voted (even after voting). */
export const HiddenUntilClose: Story = {
  name: 'States / Results hidden until close',
  args: { results: 'after-close' },
  render: (args) => {
    const { network, me, room } = storyRoom();
    const config = configOf(args);
    void (async () => {
      await seed(network, room, config, ['tuesday', 'wednesday']);
      const mine = new PollModel(network.source().acquire(room, DEFAULT_ROOM_OPTIONS).doc, 'evening', config, await me.signer, { room });
      await mine.vote('thursday');
      mine.destroy();
    })();
    return renderPoll(args, me, room);
  },
};

/** `quorum="10"` with two voters: the progress bar says how many more are needed. */
export const QuorumUnmet: Story = { name: 'States / Quorum not reached', ...withBallots('single', ['tuesday', 'thursday'], { quorum: 10, results: 'always' }) };

/** `quorum="3"` with four voters: the quorum is reached. */
export const QuorumReached: Story = {
  name: 'States / Quorum reached',
  ...withBallots('single', ['tuesday', 'thursday', 'thursday', 'wednesday'], { quorum: 3, results: 'always' }),
};

/** `anonymous`: who voted what stays out of the view and the page; the poll says what that does and does not mean. */
export const Anonymous: Story = {
  name: 'States / Anonymous',
  ...withBallots('multiple', [['tuesday', 'thursday'], ['thursday'], ['wednesday']], { anonymous: true, results: 'always' }),
};

/** 40 options with long labels: the list stays one group of radios that wraps and reflows (no scroll box of its own); arrow keys walk it. */
export const LongOptionList: Story = {
  name: 'States / Long option list (40 options)',
  ...withBallots('single', [storyOptions(FORTY)[6]!.id, storyOptions(FORTY)[30]!.id, storyOptions(FORTY)[30]!.id], {
    question: 'Where should the December assembly meet? (Every proposal the committee received.)',
    options: FORTY,
    results: 'always',
  }),
};

/**
 * This browser cannot sign (a page served over plain http has no WebCrypto): the poll shows what
 * the room holds, read-only, says why, and offers no Vote button.
 */
export const CannotSign: Story = {
  name: 'States / Cannot sign (plain http)',
  args: { results: 'always' },
  render: (args) => {
    const { network, room } = storyRoom();
    void seed(network, room, configOf(args), ['tuesday', 'thursday']);
    return renderPoll(args, { source: network.source(), signer: unsigned() }, room);
  },
};

/**
 * A vote that could not be saved (here every signature fails): the poll says so under the
 * choices, keeps the choice made, and the Vote button tries again. The story chooses and votes
 * once it has loaded.
 */
export const SaveFailed: Story = {
  name: 'States / Vote not saved',
  render: (args) => {
    const { network, room } = storyRoom();
    const peer: StoryPeer = { source: network.source(), signer: failingSigner(storyPeers(1, network)[0]!.signer) };
    const vote = async (wrapper: Element | undefined) => {
      // The ref comes before the wrapper's content is rendered.
      await new Promise((resolve) => setTimeout(resolve));
      const poll = wrapper?.querySelector('gather-poll');
      if (!poll) return;
      await poll.ready;
      await poll.updateComplete;
      const radio = poll.shadowRoot?.querySelector<HTMLInputElement>('input[type=radio]');
      if (!radio || poll.shadowRoot?.querySelector('[role=alert]')) return;
      radio.click();
      poll.shadowRoot?.querySelector<HTMLButtonElement>('button[type=submit]')?.click();
    };
    return html`<div ${ref((wrapper) => void vote(wrapper))}>${renderPoll(args, peer, room)}</div>`;
  },
};

/** A poll whose page declares no options. */
export const Empty: Story = { name: 'States / No options', args: { options: '' } };

/** Offline: this visitor reaches nobody. A vote is kept on the device and syncs once back. */
export const Offline: Story = {
  name: 'States / Offline',
  render: (args) => {
    const { network, me } = storyRoom();
    network.disconnect(me.source);
    return renderPoll(args, me);
  },
};

/** A large room's state on its way from another visitor's browser: how much of it has come (then the signatures are checked). */
export const Arriving: Story = {
  name: 'States / Arriving (a large room, 40% received)',
  render: (args) => {
    const { me, room } = storyRoom();
    me.source.acquire(room, DEFAULT_ROOM_OPTIONS).simulateReceiving({ received: 600_000, total: 1_500_000 });
    return renderPoll(args, me, room);
  },
};

/** Approval voting: choose up to two. */
export const Multiple: Story = { name: 'Kinds / Multiple (approval)', ...withBallots('multiple', [['tuesday', 'thursday'], ['wednesday']], { results: 'always' }) };

/** Ranked: instant-runoff, round by round, with the Condorcet winner. */
export const Ranked: Story = {
  name: 'Kinds / Ranked',
  ...withBallots('ranked', [['tuesday', 'wednesday'], ['thursday', 'wednesday'], ['wednesday', 'tuesday'], ['tuesday'], ['thursday']], { results: 'always' }),
};

/** Score: 0 to 5 per option. */
export const Score: Story = { name: 'Kinds / Score', ...withBallots('score', [{ tuesday: 5, wednesday: 2 }, { tuesday: 3, thursday: 4 }], { results: 'always' }) };

/** Consent on a proposal: agree, abstain, disagree, block, with reasons. */
export const Consent: Story = {
  name: 'Kinds / Consent',
  ...withBallots('consent', [{ stance: 'agree' }, { stance: 'block', reason: 'The hall is not accessible.' }], {
    question: 'Hold the December assembly in the church hall?',
    options: '',
    results: 'always',
  }),
};

/** Time poll: yes / if need be / no per date, shown in the viewer's time zone. */
export const Time: Story = {
  name: 'Kinds / Time',
  ...withBallots('time', [{ '2026-12-03T18:00-05:00': 'yes', '2026-12-04T18:00-05:00': 'maybe' }], { question: 'When can you meet?', options: TIMES, results: 'always' }),
};

export const TwoPeers: Story = twoOf('single');
export const TwoPeersMultiple: Story = twoOf('multiple');
export const TwoPeersRanked: Story = twoOf('ranked');
export const TwoPeersScore: Story = twoOf('score');
export const TwoPeersConsent: Story = twoOf('consent', { question: 'Hold the assembly in the park?', options: '' });
export const TwoPeersTime: Story = twoOf('time', { question: 'When can you meet?', options: TIMES });

/** A large poll: 1,000 voters (signed in the browser first; it takes a moment). */
export const Large: Story = {
  name: 'States / Large (1,000 voters)',
  ...withBallots('single', Array.from({ length: 1000 }, (_, i) => ['tuesday', 'wednesday', 'thursday'][i % 3]!), { results: 'always' }),
};

/** Themed by the page: global `--gather-*` tokens, a per-component knob, and `::part()`. */
export const Theming: Story = {
  render: (args) => html`
    <style>
      .themed {
        --gather-color-accent: #7c2d12;
        --gather-radius-m: 0;
        --gather-font-family: Georgia, serif;
        --gather-poll-bar-height: 1rem;
      }
      .themed gather-poll::part(legend),
      .themed gather-poll::part(question) {
        font-size: 1.25rem;
      }
    </style>
    <div class="themed">${renderPoll(args)}</div>
  `,
};

/** In Spanish, from the nearest `lang` attribute. */
export const Spanish: Story = { name: 'Locale / Spanish', args: { lang: 'es', question: '¿Qué tarde te viene bien?', options: 'Martes, Jueves' } };

/** Right to left: the layout mirrors; long labels wrap instead of widening the page. */
export const RightToLeft: Story = {
  name: 'Locale / Right to left',
  ...withBallots('ranked', [['الثلاثاء'.toLowerCase()]], { dir: 'rtl', lang: 'ar', question: 'أي مساء يناسبك للاجتماع؟', options: 'الثلاثاء, الأربعاء, الخميس', results: 'always' }),
};
