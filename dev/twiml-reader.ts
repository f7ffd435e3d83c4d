/**
 * The one TwiML reader of the repository, on fast-xml-parser: the terminal phone follows the verbs it
 * returns, and the tests read every handler's answer with it. Strict like Twilio, which answers a
 * malformed document with error 12100: well-formed XML, one `<Response>` root, only the five predefined
 * entities and character references.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** Malformed XML or TwiML; Twilio would answer such a document with error 12100 and end the call. */
export class TwimlError extends Error {
  override name = 'TwimlError';
}

/** An element of the document: its name, attributes, all the text inside it, and its child elements. */
export interface TwimlElement {
  name: string;
  attrs: Record<string, string>;
  text: string;
  children: TwimlElement[];
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  preserveOrder: true,
  trimValues: false,
  textNodeName: '#text',
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: true,
  // Decodes character references (&#20320;); named entities beyond XML's five are refused before parsing.
  htmlEntities: true,
  cdataPropName: '#cdata',
  commentPropName: '#comment',
});

type Node = Record<string, unknown> & { ':@'?: Record<string, string> };

// `&` followed by anything but a predefined entity or a character reference; and references to characters XML forbids.
const BAD_AMPERSAND = /&(?!(?:lt|gt|amp|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)/;
const CHARACTER_REFERENCE = /&#(?:x([0-9a-fA-F]+)|([0-9]+));/g;

function isXmlChar(code: number): boolean {
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}

/** The document's elements under the root, in order. Throws TwimlError unless it is well-formed `<Response>` XML. */
export function readTwiml(xml: string): TwimlElement[] {
  const verdict = XMLValidator.validate(xml);
  if (verdict !== true) throw new TwimlError(`${verdict.err.msg} (line ${verdict.err.line}, column ${verdict.err.col})`);
  const withoutCdata = xml.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '');
  const ampersand = BAD_AMPERSAND.exec(withoutCdata);
  if (ampersand) throw new TwimlError(`"&" that is not an XML entity near "${withoutCdata.slice(ampersand.index, ampersand.index + 12)}"`);
  for (const [reference, hex, decimal] of withoutCdata.matchAll(CHARACTER_REFERENCE)) {
    if (!isXmlChar(hex !== undefined ? Number.parseInt(hex, 16) : Number(decimal))) throw new TwimlError(`invalid character reference ${reference}`);
  }
  const roots = toElements(parser.parse(xml) as Node[]);
  if (roots.length !== 1) throw new TwimlError(`${roots.length} root elements, expected one`);
  if (roots[0]!.name !== 'Response') throw new TwimlError(`root element is <${roots[0]!.name}>, not <Response>`);
  return roots[0]!.children;
}

function toElements(nodes: Node[]): TwimlElement[] {
  const out: TwimlElement[] = [];
  for (const node of nodes) {
    const name = Object.keys(node).find((key) => key !== ':@');
    if (!name || name.startsWith('#') || name.startsWith('?') || name.startsWith('!')) continue;
    const children = node[name] as Node[];
    out.push({ name, attrs: node[':@'] ?? {}, text: textOf(children), children: toElements(children) });
  }
  return out;
}

function textOf(nodes: Node[]): string {
  return nodes
    .map((node) => {
      if (node['#text'] !== undefined) return String(node['#text']);
      if (node['#cdata'] !== undefined) return textOf(node['#cdata'] as Node[]);
      if (node['#comment'] !== undefined) return '';
      return Object.entries(node)
        .filter(([key]) => key !== ':@')
        .map(([, value]) => (Array.isArray(value) ? textOf(value as Node[]) : ''))
        .join('');
    })
    .join('');
}

// ---------------------------------------------------------------------------------------------
// Typed verbs, as a caller's phone follows them

export type GatherInput = 'dtmf' | 'speech';

export interface GatherVerb {
  verb: 'Gather';
  /** As written (relative or absolute); undefined means the URL of the current document, as on Twilio. */
  action?: string;
  method: string;
  numDigits?: number;
  input: GatherInput[];
  timeout: number;
  finishOnKey: string;
  actionOnEmptyResult: boolean;
  /** Nested Say / Play / Pause, heard while Twilio waits for input. */
  children: TwimlVerb[];
}

export type TwimlVerb =
  | { verb: 'Say'; text: string }
  | { verb: 'Play'; url: string }
  | { verb: 'Pause'; length: number }
  | GatherVerb
  | { verb: 'Redirect'; url: string; method: string }
  | { verb: 'Hangup' }
  | { verb: 'Reject' }
  | { verb: 'Message'; text: string }
  | { verb: 'Other'; name: string; text: string };

function numberAttribute(element: TwimlElement, name: string, fallback: number): number;
function numberAttribute(element: TwimlElement, name: string): number | undefined;
function numberAttribute(element: TwimlElement, name: string, fallback?: number): number | undefined {
  const raw = element.attrs[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new TwimlError(`<${element.name} ${name}="${raw}"> is not a number`);
  return value;
}

function toVerb(element: TwimlElement): TwimlVerb {
  const a = element.attrs;
  switch (element.name) {
    case 'Say':
      return { verb: 'Say', text: element.text.replace(/\s+/g, ' ').trim() };
    case 'Play':
      return { verb: 'Play', url: element.text.trim() };
    case 'Pause':
      return { verb: 'Pause', length: numberAttribute(element, 'length', 1) };
    case 'Gather': {
      const input = (a.input ?? 'dtmf').split(/[\s,]+/).filter((v): v is GatherInput => v === 'dtmf' || v === 'speech');
      return {
        verb: 'Gather',
        ...(a.action !== undefined && a.action.trim() !== '' ? { action: a.action.trim() } : {}),
        method: (a.method ?? 'POST').toUpperCase(),
        ...(a.numDigits !== undefined ? { numDigits: numberAttribute(element, 'numDigits') } : {}),
        input: input.length ? input : ['dtmf'],
        timeout: numberAttribute(element, 'timeout', 5),
        finishOnKey: a.finishOnKey ?? '#',
        actionOnEmptyResult: a.actionOnEmptyResult === 'true',
        children: element.children.map(toVerb),
      };
    }
    case 'Redirect':
      return { verb: 'Redirect', url: element.text.trim(), method: (a.method ?? 'POST').toUpperCase() };
    case 'Hangup':
      return { verb: 'Hangup' };
    case 'Reject':
      return { verb: 'Reject' };
    case 'Message': {
      // <Message>text</Message>, or <Message><Body>text</Body><Media>…</Media></Message>.
      const bodies = element.children.filter((child) => child.name === 'Body');
      const media = element.children.filter((child) => child.name === 'Media').map((child) => child.text);
      const text = bodies.length ? bodies.map((b) => b.text).join('') : media.reduce((rest, m) => rest.replace(m, ''), element.text);
      return { verb: 'Message', text };
    }
    default:
      return { verb: 'Other', name: element.name, text: element.text.trim() };
  }
}

/** Parses a TwiML document into its verbs, in order. Throws TwimlError when it is not `<Response>` XML. */
export function parseTwiml(xml: string): TwimlVerb[] {
  return readTwiml(xml).map(toVerb);
}
