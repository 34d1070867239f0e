// Abstract values of expressions (which library handle, project function or class an expression denotes) and the evaluator.
export { Evaluator } from './evaluator';
export { callableSpec, isAssignment, type HandleValue, type Pending, type Value } from './value';
