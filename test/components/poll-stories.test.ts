// Every poll story renders, loads its model and passes axe.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { TemplateResult } from 'lit';
import meta, * as stories from '../../stories/poll.stories.js';
import type { GatherPoll } from '../../components/poll/poll.js';

type Args = typeof meta.args;
type AnyStory = { args?: Partial<Args>; render?: (args: Args) => TemplateResult };

const entries = Object.entries(stories).filter(([name]) => name !== 'default') as [string, AnyStory][];

describe('poll stories', () => {
  it('has the Playground, States and Two peers stories', () => {
    expect(entries.map(([name]) => name)).to.include.members(['Playground', 'Voted', 'Empty', 'Offline', 'TwoPeers', 'Theming', 'Spanish']);
  });

  for (const [name, story] of entries) {
    it(`${name} renders and is accessible`, async () => {
      const args = { ...meta.args, ...story.args } as Args;
      const render = story.render ?? meta.render!;
      const element = await fixture<HTMLElement>(html`<div>${(render as (a: Args) => TemplateResult)(args)}</div>`);
      const polls = [...element.querySelectorAll<GatherPoll>('gather-poll')];
      expect(polls.length).to.be.greaterThan(0);
      await waitUntil(() => polls.every((poll) => poll.view !== null), `${name}: a poll never loaded`);
      await expect(element).to.be.accessible();
    });
  }
});
