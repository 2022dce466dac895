using System.Reflection;
using System.Reflection.Emit;
using TorchSharp;

namespace MiM.Bundles.Model.Tests.Numerics;

/// <summary>
/// The TorchSharp methods that make a Scalar inside and never dispose it, found in TorchSharp's own IL: a method whose
/// body converts to Scalar (<c>Scalar.op_Implicit</c>, <c>ToScalar</c>) without calling <c>Scalar.Dispose</c>, or that
/// calls such a method of TorchSharp. <c>Tensor.add(Tensor)</c> (<c>=> add(target, 1)</c>) is the known one; the
/// operators taking a double are others. Our code must not call them on training or inference paths.
/// </summary>
internal static class TorchSharpTemporaries
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    private static readonly Lazy<HashSet<string>> Methods = new(Find);

    /// <summary>Keys (see <see cref="Key(string, string, IEnumerable{string})"/>) of TorchSharp's methods that leave a Scalar to the finalizer.</summary>
    public static IReadOnlySet<string> Keys => Methods.Value;

    /// <summary>A method's key: declaring type (nested types joined by '.'), name, and parameter type names.</summary>
    public static string Key(string declaringType, string name, IEnumerable<string> parameterTypes) =>
        $"{declaringType}.{name}({string.Join(",", parameterTypes)})";

    private static HashSet<string> Find()
    {
        var assembly = typeof(Scalar).Assembly;
        var methods = assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => m.GetMethodBody() is not null)
            .ToList();
        var calls = methods.ToDictionary(m => m, m => Callees(m).ToList());
        var leaking = methods.Where(m => MakesScalar(calls[m]) && !calls[m].Any(IsScalarDispose)).ToHashSet();

        // Through TorchSharp's own calls: add(Tensor) leaks because add(Tensor, Scalar) is passed a temporary.
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var method in methods.Where(m => !leaking.Contains(m) && calls[m].Any(c => c is MethodInfo callee && leaking.Contains(callee))))
            {
                changed |= leaking.Add(method);
            }
        }

        return [.. leaking.Select(m => Key(TypeName(m.DeclaringType!), m.Name, m.GetParameters().Select(p => TypeName(p.ParameterType))))];
    }

    private static bool MakesScalar(IEnumerable<MethodBase> callees) => callees.Any(c =>
        (c.DeclaringType == typeof(Scalar) && c.Name == "op_Implicit") || (c.Name == "ToScalar" && c is MethodInfo { ReturnType: var r } && r == typeof(Scalar)));

    private static bool IsScalarDispose(MethodBase callee) => callee.DeclaringType == typeof(Scalar) && callee.Name == "Dispose";

    /// <summary>The methods a body calls (call, callvirt, newobj), read opcode by opcode.</summary>
    private static List<MethodBase> Callees(MethodInfo method)
    {
        var il = method.GetMethodBody()!.GetILAsByteArray() ?? [];
        var found = new List<MethodBase>();
        for (var i = 0; i < il.Length;)
        {
            short value = il[i] == 0xFE && i + 1 < il.Length ? (short)(0xFE00 | il[i + 1]) : il[i];
            if (!OpCodesByValue.TryGetValue(value, out var op))
            {
                break; // not an opcode: stop reading this body rather than misread it
            }

            i += op.Size;
            if (op.OperandType == OperandType.InlineMethod)
            {
                try
                {
                    if (method.Module.ResolveMethod(BitConverter.ToInt32(il, i), method.DeclaringType?.GetGenericArguments(), method.GetGenericArguments()) is { } callee)
                    {
                        found.Add(callee);
                    }
                }
                catch (Exception e) when (e is ArgumentException or BadImageFormatException or TypeLoadException or FileNotFoundException)
                {
                    // A callee in an assembly not loaded here: not a Scalar conversion of TorchSharp's.
                }
            }

            i += OperandSize(op, il, i);
        }

        return found;
    }

    private static int OperandSize(OpCode op, byte[] il, int at) => op.OperandType switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, at)),
        _ => 4,
    };

    /// <summary>A type's simple name as Roslyn's side writes it: nested types by their own name, arrays with [], no generic arity.</summary>
    private static string TypeName(Type type)
    {
        if (type.IsByRef)
        {
            return TypeName(type.GetElementType()!);
        }

        if (type.IsArray)
        {
            return TypeName(type.GetElementType()!) + "[]";
        }

        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return TypeName(underlying) + "?";
        }

        var name = type.Name;
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        var simple = tick < 0 ? name : name[..tick];
        return type.DeclaringType is { } outer && !type.IsGenericParameter ? $"{TypeName(outer)}.{simple}" : (type.Namespace is { Length: > 0 } ns && !type.IsGenericParameter ? $"{ns}.{simple}" : simple);
    }
}
