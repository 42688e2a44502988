// The baseline of bench/tti.ts: a bare Lit element, bundled on its own (Lit's production build,
// minified) and served by `gather serve` as the embed is. It shows the same question and options
// as the poll, from the same plain HTML, as a fieldset of radios and a Vote button.
import { css, html, LitElement, type PropertyDeclarations } from 'lit';

class BarePoll extends LitElement {
  static override properties: PropertyDeclarations = { question: {} };
  static override styles = css`
    :host { display: block; }
    fieldset { display: grid; gap: 0.5rem; }
  `;
  declare question: string;

  constructor() {
    super();
    this.question = '';
  }

  override render() {
    const options = [...this.querySelectorAll('option')].map((option) => ({ value: option.value, label: option.textContent ?? '' }));
    return html`<form @submit=${(event: Event) => event.preventDefault()}>
      <fieldset>
        <legend>${this.question}</legend>
        ${options.map((option) => html`<label><input type="radio" name="choice" .value=${option.value} />${option.label}</label>`)}
      </fieldset>
      <button type="submit">Vote</button>
    </form>`;
  }
}

customElements.define('bare-poll', BarePoll);
