"""Run an ONNX model's int8-stored weights as int8 matrix products, rewriting the graph in memory.

The sentence model (embeddings.py) stores each weight matrix as int8 with a scale per column, and
widens it back to float32 when it loads (Cast, then Mul by the scale, then MatMul): the arithmetic is
all float32, and the matrix products were about 60% of the model's time. Here each such MatMul
becomes onnxruntime's DynamicQuantizeMatMul, which quantizes the activations to 8 bits per call and
multiplies with the stored int8 weights (VNNI/AMX where the CPU has them), adding the bias in the
same step: the model pass of a 170-word answer took about half the CPU time, and each sentence
vector stays within 0.99 cosine of the float32 one (bench/talking_points.py measures precision,
recall and time with both).

ONNX files are protobuf. The `onnx` package is not a dependency, so the few message fields this
rewrite reads and writes are declared here; every other field is carried through unread (protobuf
keeps unknown fields when it writes a message back).
"""

from __future__ import annotations

import functools
from typing import Any

# TensorProto.DataType: FLOAT, INT8
_FLOAT, _INT8 = 1, 3
_MICROSOFT = "com.microsoft"


@functools.cache
def _messages() -> dict[str, Any]:
    """Message classes for the subset of onnx.proto used here (field numbers as in onnx.proto)."""
    from google.protobuf import (  # type: ignore[import-untyped]
        descriptor_pb2,
        descriptor_pool,
        message_factory,
    )

    field = descriptor_pb2.FieldDescriptorProto
    one, many = field.LABEL_OPTIONAL, field.LABEL_REPEATED
    string, message = field.TYPE_STRING, field.TYPE_MESSAGE
    schema: dict[str, list[tuple[str, int, int, int, str]]] = {
        "OperatorSetIdProto": [("domain", 1, string, one, ""), ("version", 2, field.TYPE_INT64, one, "")],
        "TensorProto": [("dims", 1, field.TYPE_INT64, many, ""), ("data_type", 2, field.TYPE_INT32, one, ""),
                        ("name", 8, string, one, "")],
        "NodeProto": [("input", 1, string, many, ""), ("output", 2, string, many, ""),
                      ("op_type", 4, string, one, ""), ("domain", 7, string, one, "")],
        "GraphProto": [("node", 1, message, many, "NodeProto"),
                       ("initializer", 5, message, many, "TensorProto")],
        "ModelProto": [("graph", 7, message, one, "GraphProto"),
                       ("opset_import", 8, message, many, "OperatorSetIdProto")],
    }  # fmt: skip
    file = descriptor_pb2.FileDescriptorProto(
        name="interviewcoach_onnx_subset.proto", package="interviewcoach_onnx", syntax="proto2"
    )
    for name, fields in schema.items():
        described = file.message_type.add(name=name)
        for field_name, number, kind, label, type_name in fields:
            added = described.field.add(name=field_name, number=number, type=kind, label=label)
            if type_name:
                added.type_name = f".interviewcoach_onnx.{type_name}"
    pool = descriptor_pool.DescriptorPool()
    pool.Add(file)
    return {
        name: message_factory.GetMessageClass(pool.FindMessageTypeByName(f"interviewcoach_onnx.{name}"))
        for name in schema
    }


def int8_matmuls(model: bytes) -> tuple[bytes, int]:
    """The model with every MatMul by a widened int8 weight (Cast, Mul by a per-column or single
    scale) made a DynamicQuantizeMatMul on the int8 weight itself, with the bias Add after it folded
    in, and how many were rewritten.

    A weight used anywhere else, or stored any other way, is left as it is; with nothing to rewrite,
    the model comes back unchanged.
    """
    classes = _messages()
    parsed = classes["ModelProto"]()
    parsed.ParseFromString(model)
    graph = parsed.graph
    initializers = {t.name: t for t in graph.initializer}
    producer = {out: node for node in graph.node for out in node.output}
    uses: dict[str, int] = {}
    consumer: dict[str, Any] = {}
    for node in graph.node:
        for name in node.input:
            uses[name] = uses.get(name, 0) + 1
            consumer[name] = node
    dropped: set[int] = set()
    rewritten = 0
    for node in graph.node:
        if node.op_type != "MatMul" or node.domain or len(node.input) != 2:
            continue
        widened = node.input[1]
        mul = producer.get(widened)
        if mul is None or mul.op_type != "Mul" or uses.get(widened) != 1:
            continue
        cast = producer.get(mul.input[0])
        scale = initializers.get(mul.input[1])
        if cast is None or cast.op_type != "Cast" or scale is None or uses.get(mul.input[0]) != 1:
            continue
        weight = initializers.get(cast.input[0])
        if weight is None or weight.data_type != _INT8 or len(weight.dims) != 2:
            continue
        columns = weight.dims[1]
        if list(scale.dims) not in ([], [1], [columns], [1, columns]) or uses.get(scale.name) != 1:
            continue
        # The operator takes a single scale or one per column, as a scalar or a 1-D tensor.
        if list(scale.dims) == [1, columns]:
            del scale.dims[:]
            scale.dims.append(columns)
        inputs = [node.input[0], weight.name, scale.name]
        dropped.update((id(mul), id(cast)))
        # A bias added to the product alone goes into the operator too (its fifth input).
        add = consumer.get(node.output[0]) if uses.get(node.output[0]) == 1 else None
        if add is not None and add.op_type == "Add" and not add.domain and len(add.input) == 2:
            other = add.input[1] if add.input[0] == node.output[0] else add.input[0]
            bias = initializers.get(other)
            if bias is not None and bias.data_type == _FLOAT and list(bias.dims) == [columns]:
                inputs += ["", bias.name]  # no zero point: the weights are symmetric
                node.output[0] = add.output[0]
                dropped.add(id(add))
        del node.input[:]
        node.input.extend(inputs)
        node.op_type = "DynamicQuantizeMatMul"
        node.domain = _MICROSOFT
        rewritten += 1
    if not rewritten:
        return model, 0
    kept = [node for node in graph.node if id(node) not in dropped]
    del graph.node[:]
    graph.node.extend(kept)
    if not any(o.domain == _MICROSOFT for o in parsed.opset_import):
        parsed.opset_import.add(domain=_MICROSOFT, version=1)
    out: bytes = parsed.SerializeToString()
    return out, rewritten
