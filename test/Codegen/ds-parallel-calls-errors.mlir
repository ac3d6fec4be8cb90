// RUN: ds-opt %s --ds-parallel-calls --verify-diagnostics

// A function marked ds.parallel whose first two operands are not its i64
// bounds cannot be shared out: an error at the call, not a bad frame.
llvm.func @main(%p: !llvm.ptr, %s: f32) {
  // expected-error @below {{parallel loop body must take its i64 bounds first}}
  llvm.call @body(%s, %p) : (f32, !llvm.ptr) -> ()
  llvm.return
}
llvm.func @body(%s: f32, %p: !llvm.ptr) attributes {ds.parallel = 1 : i64} {
  llvm.return
}
