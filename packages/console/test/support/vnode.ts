/**
 * Reads the virtual DOM that hook-free components return, without a DOM: enough to check what a
 * component says and which attributes it sets, in the node test environment.
 */
import type { VNode } from 'preact';

type Node = VNode | string | number | boolean | null | undefined | Node[];

function isVNode(node: unknown): node is VNode<Record<string, unknown>> {
  return typeof node === 'object' && node !== null && 'type' in node && 'props' in node;
}

/** Expands function components, leaving only elements and text. */
export function expand(node: Node): Node {
  if (Array.isArray(node)) return node.map(expand);
  if (!isVNode(node)) return node;
  if (typeof node.type === 'function') return expand((node.type as (props: unknown) => Node)(node.props));
  return node;
}

export function textOf(node: Node): string {
  const expanded = expand(node);
  if (expanded === null || expanded === undefined || typeof expanded === 'boolean') return '';
  if (typeof expanded === 'string' || typeof expanded === 'number') return String(expanded);
  if (Array.isArray(expanded)) return expanded.map(textOf).join('');
  return textOf((expanded.props as { children?: Node }).children);
}

/** Every element (after expansion) whose props match the predicate, depth first. */
export function findAll(
  node: Node,
  predicate: (props: Record<string, unknown>, type: string) => boolean,
): Record<string, unknown>[] {
  const expanded = expand(node);
  if (Array.isArray(expanded)) return expanded.flatMap((child) => findAll(child, predicate));
  if (!isVNode(expanded)) return [];
  const props = expanded.props as Record<string, unknown>;
  const own = predicate(props, String(expanded.type)) ? [props] : [];
  return [...own, ...findAll(props['children'] as Node, predicate)];
}
