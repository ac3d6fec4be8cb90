// RUN: ds-opt %s --split-input-file --ds-add-entry-wrapper --verify-diagnostics | FileCheck %s

// The wrapper loads one pointer per parameter and calls @main, which
// becomes internal.
// CHECK: llvm.func internal @main
// CHECK: llvm.func @ds_model_entry(%[[ARGS:.+]]: !llvm.ptr)
// CHECK: %[[P0:.+]] = llvm.getelementptr %[[ARGS]][0]
// CHECK: %[[A0:.+]] = llvm.load %[[P0]] : !llvm.ptr -> !llvm.ptr
// CHECK: %[[P1:.+]] = llvm.getelementptr %[[ARGS]][1]
// CHECK: %[[A1:.+]] = llvm.load %[[P1]]
// CHECK: llvm.call @main(%[[A0]], %[[A1]])
module {
  llvm.func @main(%in: !llvm.ptr, %out: !llvm.ptr) {
    llvm.return
  }
}

// -----

// Negative: a memref descriptor (dynamic shapes) cannot be passed as a
// bare pointer.
module {
  // expected-error @+1 {{parameter 0 of 'main' is 'i64', not a bare pointer}}
  llvm.func @main(%n: i64) {
    llvm.return
  }
}
