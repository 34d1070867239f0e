// Members: `value.name` on namespaces, handles, modules, object literals and classes (fields, `this.x = …`, `extends`).
import { ts } from 'ts-morph';
import { own } from '../../knowledge/own';
import { isFunctionBoundary, propertyNameText } from '../scope';
import type { FileModel } from '../sourceFile';
import type { Evaluator } from './evaluator';
import { isAssignment, type HandleValue, type Value } from './value';

/** `value.name`: a sub-handle, a namespace member, a class member, a module export. */
export function memberOf(ev: Evaluator, value: Value | undefined, name: string): Value | undefined {
  if (!value) return undefined;
  switch (value.kind) {
    case 'export': {
      const member = own(value.spec.members, name);
      if (member?.value) return ev.handleOf(value.library, member.value);
      return member ? { kind: 'export', library: value.library, spec: member, name } : undefined;
    }
    case 'handle': {
      if (value.many || value.pending) return undefined;
      const property = own(value.type.properties, name);
      if (property) return ev.handleOf(value.library, property);
      if (value.type.anyProperty && !/^[$_]/.test(name) && !ev.knowledge.methodOf(value.typeName, name))
        return ev.handleOf(value.library, value.type.anyProperty);
      return undefined;
    }
    case 'module':
      return ev.exportValue(value.file, name, new Set());
    case 'object':
      return objectMember(ev, value.file, value.node, name);
    case 'class':
    case 'instance':
      return classMember(ev, value.file, value.node, name, value.kind === 'class');
    default:
      return undefined;
  }
}

export function objectMember(
  ev: Evaluator,
  file: FileModel,
  node: ts.ObjectLiteralExpression,
  name: string,
): Value | undefined {
  // The last property of that name wins, as at run time; `...models` contributes the members of what it spreads.
  for (let i = node.properties.length - 1; i >= 0; i--) {
    const property = node.properties[i]!;
    if (ts.isSpreadAssignment(property)) {
      const spread = ev.memberOf(ev.valueOf(property.expression), name);
      if (spread) return spread;
      continue;
    }
    if (!property.name || propertyNameText(property.name) !== name) continue;
    if (ts.isPropertyAssignment(property)) return ev.valueOf(property.initializer);
    if (ts.isShorthandPropertyAssignment(property)) return ev.valueOf(property);
    if (ts.isMethodDeclaration(property)) return { kind: 'function', file, node: property };
    return undefined;
  }
  return undefined;
}

export function classMember(
  ev: Evaluator,
  file: FileModel,
  cls: ts.ClassLikeDeclaration,
  name: string,
  isStatic: boolean,
): Value | undefined {
  for (const member of cls.members) {
    const memberStatic =
      ts.canHaveModifiers(member) &&
      (ts.getModifiers(member)?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword) ?? false);
    if (ts.isConstructorDeclaration(member) && !isStatic) {
      for (const parameter of member.parameters) {
        if (ts.isIdentifier(parameter.name) && parameter.name.text === name && ts.getModifiers(parameter)?.length)
          return ev.parameterValue(file, parameter);
      }
      const assigned = member.body && thisAssignment(ev, member.body, name);
      if (assigned) return assigned;
      continue;
    }
    if (memberStatic !== isStatic || !member.name || propertyNameText(member.name) !== name) continue;
    if (ts.isPropertyDeclaration(member)) {
      if (member.initializer) return ev.valueOf(member.initializer);
      if (member.type) return ev.typeValue(file, member.type);
      return thisAssignmentAnywhere(ev, cls, name);
    }
    if (ts.isMethodDeclaration(member) || ts.isGetAccessorDeclaration(member))
      return { kind: 'function', file, node: member };
  }
  return baseMember(ev, cls, name, isStatic);
}

/** `this.x = expr` inside a constructor body. */
export function thisAssignment(ev: Evaluator, body: ts.Node, name: string): Value | undefined {
  let found: Value | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (
      ts.isBinaryExpression(node) &&
      isAssignment(node.operatorToken.kind) &&
      ts.isPropertyAccessExpression(node.left) &&
      node.left.expression.kind === ts.SyntaxKind.ThisKeyword &&
      node.left.name.text === name
    ) {
      found = ev.valueOf(node.right);
    }
    if (!isFunctionBoundary(node) || ts.isArrowFunction(node)) ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return found;
}

export function thisAssignmentAnywhere(ev: Evaluator, cls: ts.ClassLikeDeclaration, name: string): Value | undefined {
  for (const member of cls.members) {
    if ((ts.isMethodDeclaration(member) || ts.isConstructorDeclaration(member)) && member.body) {
      const value = thisAssignment(ev, member.body, name);
      if (value) return value;
    }
  }
  return undefined;
}

/** Members inherited from `extends Base`: a project class or a library class (PrismaClient, Sequelize Model). */
export function baseMember(
  ev: Evaluator,
  cls: ts.ClassLikeDeclaration,
  name: string,
  isStatic: boolean,
): Value | undefined {
  const base = ev.baseOf(cls);
  if (!base) return undefined;
  if (base.kind === 'class') return classMember(ev, base.file, base.node, name, isStatic);
  if (base.kind === 'export') {
    const typeName = isStatic ? base.spec.staticType : base.spec.instanceType;
    return typeName ? ev.memberOf(ev.handleOf(base.library, typeName), name) : undefined;
  }
  return undefined;
}

export function baseOf(ev: Evaluator, cls: ts.ClassLikeDeclaration): Value | undefined {
  const clause = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword);
  const expression = clause?.types[0]?.expression;
  return expression ? ev.valueOf(expression) : undefined;
}

/** The handle a class instance or static side stands for when the class extends a library class. */
export function libraryBase(ev: Evaluator, value: Value | undefined): HandleValue | undefined {
  if (value?.kind !== 'class' && value?.kind !== 'instance') return undefined;
  const base = ev.baseOf(value.node);
  if (base?.kind === 'export') {
    const typeName = value.kind === 'class' ? base.spec.staticType : base.spec.instanceType;
    return typeName ? ev.handleOf(base.library, typeName) : undefined;
  }
  if (base?.kind === 'class') return ev.libraryBase({ ...base, kind: value.kind });
  return undefined;
}
