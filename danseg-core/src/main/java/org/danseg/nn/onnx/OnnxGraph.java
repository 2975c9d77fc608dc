package org.danseg.nn.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds an ONNX model (opset {@value #OPSET}) node by node and writes it in the protobuf wire
 * format of onnx.proto with protobuf-java's encoder. Only the part of the schema danseg's networks
 * need: float tensors, the operators they use, named dynamic dimensions. Field numbers are
 * onnx.proto's (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto).
 */
public final class OnnxGraph {
    public static final int OPSET = 17;
    /** ONNX IR version 8 goes with opset 17 (onnx 1.12+). */
    private static final long IR_VERSION = 8;
    private static final int FLOAT = 1;

    private final List<byte[]> nodes = new ArrayList<>();
    private final List<byte[]> initializers = new ArrayList<>();
    private final List<byte[]> inputs = new ArrayList<>();
    private final List<byte[]> outputs = new ArrayList<>();
    private final Map<String, Integer> counters = new LinkedHashMap<>();

    /** A fresh value name with this prefix. */
    public String name(String prefix) {
        int n = counters.merge(prefix, 1, Integer::sum);
        return prefix + "_" + n;
    }

    /** A graph input or output: float, with dimensions given as numbers or, for dynamic ones, names ("batch"). */
    public void input(String name, Object... dims) {
        inputs.add(valueInfo(name, dims));
    }

    public void output(String name, Object... dims) {
        outputs.add(valueInfo(name, dims));
    }

    /** A float constant (a weight) and its name. */
    public String constant(String prefix, float[] values, long... dims) {
        String name = name(prefix);
        ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        initializers.add(message(out -> {
            for (long d : dims) {
                out.writeInt64(1, d);
            }
            out.writeInt32(2, FLOAT);
            out.writeString(8, name);
            out.writeBytes(9, ByteString.copyFrom(raw.array()));
        }));
        return name;
    }

    /** One node; attributes are given as name, value pairs (long, float, long[] or String values). */
    public String node(String opType, List<String> in, Object... attributes) {
        return nodeTo(name(opType.toLowerCase(java.util.Locale.ROOT)), opType, in, attributes);
    }

    /** The same, writing its result to the value {@code out} (e.g. a graph output). */
    public String nodeTo(String out, String opType, List<String> in, Object... attributes) {
        nodes.add(message(o -> {
            for (String i : in) {
                o.writeString(1, i);
            }
            o.writeString(2, out);
            o.writeString(3, out);
            o.writeString(4, opType);
            for (int a = 0; a < attributes.length; a += 2) {
                o.writeBytes(5, ByteString.copyFrom(attribute((String) attributes[a], attributes[a + 1])));
            }
        }));
        return out;
    }

    /** The model: this graph, opset {@value #OPSET}, producer and free-form metadata (shown by Netron and the bioimage.io tools). */
    public byte[] model(String graphName, String producerVersion, String doc, Map<String, String> metadata) {
        byte[] graph = message(g -> {
            for (byte[] n : nodes) {
                g.writeBytes(1, ByteString.copyFrom(n));
            }
            g.writeString(2, graphName);
            for (byte[] t : initializers) {
                g.writeBytes(5, ByteString.copyFrom(t));
            }
            for (byte[] i : inputs) {
                g.writeBytes(11, ByteString.copyFrom(i));
            }
            for (byte[] o : outputs) {
                g.writeBytes(12, ByteString.copyFrom(o));
            }
        });
        byte[] opset = message(o -> {
            o.writeString(1, "");
            o.writeInt64(2, OPSET);
        });
        return message(m -> {
            m.writeInt64(1, IR_VERSION);
            m.writeString(2, "danseg");
            m.writeString(3, producerVersion);
            m.writeString(4, "org.danseg");
            m.writeInt64(5, 1);
            m.writeString(6, doc);
            m.writeBytes(7, ByteString.copyFrom(graph));
            m.writeBytes(8, ByteString.copyFrom(opset));
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                m.writeBytes(14, ByteString.copyFrom(message(kv -> {
                    kv.writeString(1, e.getKey());
                    kv.writeString(2, e.getValue());
                })));
            }
        });
    }

    private static byte[] attribute(String name, Object value) {
        return message(a -> {
            a.writeString(1, name);
            if (value instanceof Float f) {
                a.writeFloat(2, f);
                a.writeInt32(20, 1);
            } else if (value instanceof Long l) {
                a.writeInt64(3, l);
                a.writeInt32(20, 2);
            } else if (value instanceof String s) {
                a.writeBytes(4, ByteString.copyFromUtf8(s));
                a.writeInt32(20, 3);
            } else if (value instanceof long[] ints) {
                for (long i : ints) {
                    a.writeInt64(8, i);
                }
                a.writeInt32(20, 7);
            } else {
                throw new IllegalArgumentException("attribute " + name + ": unsupported value " + value);
            }
        });
    }

    private static byte[] valueInfo(String name, Object... dims) {
        byte[] shape = message(s -> {
            for (Object d : dims) {
                s.writeBytes(1, ByteString.copyFrom(message(dim -> {
                    if (d instanceof String param) {
                        dim.writeString(2, param);
                    } else {
                        dim.writeInt64(1, ((Number) d).longValue());
                    }
                })));
            }
        });
        byte[] tensorType = message(t -> {
            t.writeInt32(1, FLOAT);
            t.writeBytes(2, ByteString.copyFrom(shape));
        });
        byte[] type = message(t -> t.writeBytes(1, ByteString.copyFrom(tensorType)));
        return message(v -> {
            v.writeString(1, name);
            v.writeBytes(2, ByteString.copyFrom(type));
        });
    }

    private interface Fields {
        void write(CodedOutputStream out) throws IOException;
    }

    /** One message's bytes; an embedded message is written as a length-delimited field of these bytes. */
    private static byte[] message(Fields fields) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            fields.write(out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
