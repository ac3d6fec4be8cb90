// RUN: ds-opt %s --split-input-file --ds-plan-memory --verify-diagnostics | FileCheck %s

// Two buffers that are live at the same time get disjoint offsets; a third
// that starts after the first died reuses its bytes. The arena is the last
// argument and its size is recorded.
// CHECK-LABEL: func.func @reuse
// CHECK-SAME: %[[ARENA:[a-z0-9]+]]: memref<2048xi8>) attributes {ds.arena_size = 2048 : i64}
func.func @reuse(%in: memref<256xf32>, %out: memref<256xf32>) {
  // CHECK: %[[C0:.+]] = arith.constant 0 : index
  // CHECK: memref.view %[[ARENA]][%[[C0]]][] : memref<2048xi8> to memref<256xf32>
  %a = memref.alloc() : memref<256xf32>
  // CHECK: %[[C1024:.+]] = arith.constant 1024 : index
  // CHECK: memref.view %[[ARENA]][%[[C1024]]][] : memref<2048xi8> to memref<256xf32>
  %b = memref.alloc() : memref<256xf32>
  linalg.copy ins(%in : memref<256xf32>) outs(%a : memref<256xf32>)
  linalg.copy ins(%a : memref<256xf32>) outs(%b : memref<256xf32>)
  // %a is dead from here on: %c takes its place.
  // CHECK: %[[C0B:.+]] = arith.constant 0 : index
  // CHECK: memref.view %[[ARENA]][%[[C0B]]][] : memref<2048xi8> to memref<256xf32>
  %c = memref.alloc() : memref<256xf32>
  linalg.copy ins(%b : memref<256xf32>) outs(%c : memref<256xf32>)
  linalg.copy ins(%c : memref<256xf32>) outs(%out : memref<256xf32>)
  // CHECK-NOT: memref.alloc
  // CHECK-NOT: memref.dealloc
  memref.dealloc %a : memref<256xf32>
  return
}

// -----

// A use through a view keeps the buffer alive: %a (read through %v after
// %b's last use) and %b overlap, so two 256-byte slots.
// CHECK-LABEL: func.func @through_view
// CHECK-SAME: memref<512xi8>) attributes {ds.arena_size = 512 : i64}
func.func @through_view(%in: memref<64xf32>, %out: memref<64xf32>) {
  %a = memref.alloc() : memref<64xf32>
  %b = memref.alloc() : memref<64xf32>
  %v = memref.subview %a[0] [32] [1] : memref<64xf32> to memref<32xf32, strided<[1]>>
  linalg.copy ins(%in : memref<64xf32>) outs(%b : memref<64xf32>)
  linalg.copy ins(%b : memref<64xf32>) outs(%a : memref<64xf32>)
  linalg.copy ins(%v : memref<32xf32, strided<[1]>>) outs(%v : memref<32xf32, strided<[1]>>)
  linalg.copy ins(%a : memref<64xf32>) outs(%out : memref<64xf32>)
  return
}

// -----

// A view made after a buffer's last access does not keep it alive: it reads
// and writes nothing, so %b reuses %a's bytes (one 256-byte slot).
// CHECK-LABEL: func.func @view_after_last_access
// CHECK-SAME: memref<256xi8>) attributes {ds.arena_size = 256 : i64}
func.func @view_after_last_access(%in: memref<64xf32>, %out: memref<64xf32>, %out2: memref<64xf32>) {
  %a = memref.alloc() : memref<64xf32>
  linalg.copy ins(%in : memref<64xf32>) outs(%a : memref<64xf32>)
  linalg.copy ins(%a : memref<64xf32>) outs(%out : memref<64xf32>)
  %b = memref.alloc() : memref<64xf32>
  %v = memref.subview %a[0] [32] [1] : memref<64xf32> to memref<32xf32, strided<[1]>>
  linalg.copy ins(%in : memref<64xf32>) outs(%b : memref<64xf32>)
  linalg.copy ins(%b : memref<64xf32>) outs(%out2 : memref<64xf32>)
  return
}

// -----

// Negative: a dynamic allocation cannot be planned.
func.func @dynamic(%n: index) {
  // expected-error @+1 {{cannot place this allocation in the arena}}
  %a = memref.alloc(%n) : memref<?xf32>
  return
}
