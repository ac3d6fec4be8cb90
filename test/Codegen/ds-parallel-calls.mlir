// RUN: ds-opt %s --split-input-file --ds-parallel-calls | FileCheck %s

// A call of a function marked ds.parallel becomes ds_parallel_for over
// ds_thread_count() tasks: the operands go into a frame {tasks, lo, hi,
// rest} allocated in the caller's entry block; the task function loads
// them, takes its share of [lo, hi) (rounded up to the mark's multiple,
// 16, the last share cut at hi) and calls the body, which becomes internal
// and loses its mark. The unmarked call stays.
// CHECK-LABEL: llvm.func @main
// CHECK: %[[FRAME:.+]] = llvm.alloca %{{.+}} x !llvm.struct<(i64, i64, i64, ptr, f32)>
// CHECK: llvm.call @other
// CHECK: %[[T:.+]] = llvm.call @ds_thread_count() : () -> i32
// CHECK: %[[TASKS:.+]] = llvm.sext %[[T]] : i32 to i64
// CHECK: llvm.store %[[TASKS]]
// CHECK-COUNT-4: llvm.store
// CHECK: %[[TASK:.+]] = llvm.mlir.addressof @body_task
// CHECK: llvm.call @ds_parallel_for(%[[TASKS]], %[[TASK]], %[[FRAME]])
// CHECK-NOT: llvm.call @body(
// CHECK: llvm.return
// CHECK: llvm.func internal @body(
// CHECK-NOT: ds.parallel
// CHECK: llvm.func internal @body_task(%[[CTX:.+]]: !llvm.ptr, %[[INDEX:.+]]: i64, %{{.+}}: i64)
// CHECK-COUNT-5: llvm.load
// CHECK: %[[Q:.+]] = llvm.mlir.constant(16 : i64)
// CHECK: %[[SHARE:.+]] = llvm.mul %{{.+}}, %[[Q]]
// CHECK: %[[OFFSET:.+]] = llvm.mul %[[INDEX]], %[[SHARE]]
// CHECK: %[[BEGIN:.+]] = llvm.add %{{.+}}, %[[OFFSET]]
// CHECK: %[[END:.+]] = llvm.add %[[BEGIN]], %[[SHARE]]
// CHECK: %[[PAST:.+]] = llvm.icmp "sgt" %[[END]]
// CHECK: %[[CUT:.+]] = llvm.select %[[PAST]]
// CHECK: llvm.call @body(%[[BEGIN]], %[[CUT]], %{{.+}}, %{{.+}}) : (i64, i64, !llvm.ptr, f32) -> ()
// CHECK-DAG: llvm.func @ds_thread_count() -> i32
// CHECK-DAG: llvm.func @ds_parallel_for(i64, !llvm.ptr, !llvm.ptr)
llvm.func @main(%p: !llvm.ptr, %s: f32) {
  %lo = llvm.mlir.constant(0 : i64) : i64
  %hi = llvm.mlir.constant(40000 : i64) : i64
  llvm.call @other(%p) : (!llvm.ptr) -> ()
  llvm.call @body(%lo, %hi, %p, %s) : (i64, i64, !llvm.ptr, f32) -> ()
  llvm.return
}
llvm.func @other(%p: !llvm.ptr) {
  llvm.return
}
llvm.func @body(%lo: i64, %hi: i64, %p: !llvm.ptr, %s: f32) attributes {ds.parallel = 16 : i64} {
  llvm.return
}

// -----

// Negative: without marked functions nothing changes, and the runtime's
// functions are not declared.
// CHECK-LABEL: llvm.func @main
// CHECK-NEXT: llvm.call @other
// CHECK-NOT: ds_parallel_for
// CHECK-NOT: ds_thread_count
llvm.func @main(%p: !llvm.ptr) {
  llvm.call @other(%p) : (!llvm.ptr) -> ()
  llvm.return
}
llvm.func @other(%p: !llvm.ptr) {
  llvm.return
}
