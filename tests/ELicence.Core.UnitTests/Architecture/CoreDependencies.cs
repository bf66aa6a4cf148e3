using System.Reflection;
using System.Reflection.Emit;

namespace ELicence.Core.UnitTests.Architecture;

/// <summary>
/// Which Core slice (the namespace segment after <c>ELicence.Core.</c>) uses which, read from the compiled assembly:
/// base types, interfaces, fields, properties, method and constructor signatures, and every type, method and field
/// token in the IL of the method bodies (async and lambda bodies live in nested compiler types, which are read too).
/// </summary>
internal static class CoreDependencies
{
    private const string Root = "ELicence.Core.";

    private const BindingFlags Everything = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>Slice → slice it uses → one example of the use ("Type uses Type").</summary>
    public static IReadOnlyDictionary<string, Dictionary<string, string>> Of(Assembly core)
    {
        var graph = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var type in core.GetTypes())
        {
            if (SliceOf(type, core) is not { } from)
            {
                continue;
            }

            foreach (var used in TypesUsedBy(type))
            {
                if (SliceOf(used, core) is { } to && to != from)
                {
                    var edges = graph.TryGetValue(from, out var e) ? e : graph[from] = new(StringComparer.Ordinal);
                    edges.TryAdd(to, $"{type.FullName} uses {used.FullName}");
                }
            }
        }

        return graph;
    }

    /// <summary>The slice of a Core type; null for other assemblies and the composition root (which wires every slice).</summary>
    public static string? SliceOf(Type type, Assembly core)
    {
        if (type.Assembly != core || type.Namespace is not { } ns || !ns.StartsWith(Root, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = ns[Root.Length..];
        var dot = rest.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? rest : rest[..dot];
    }

    /// <summary>Every type <paramref name="type"/> names in its declaration, members and method bodies.</summary>
    public static IReadOnlyCollection<Type> TypesUsedBy(Type type)
    {
        var found = new HashSet<Type>();
        void Add(Type? t)
        {
            if (t is null || t.IsGenericParameter || !found.Add(t))
            {
                return;
            }

            if (t.HasElementType)
            {
                Add(t.GetElementType());
            }

            if (t.IsGenericType)
            {
                Add(t.GetGenericTypeDefinition());
                foreach (var a in t.GetGenericArguments())
                {
                    Add(a);
                }
            }
        }

        Add(type.BaseType);
        foreach (var i in type.GetInterfaces())
        {
            Add(i);
        }

        foreach (var f in type.GetFields(Everything))
        {
            Add(f.FieldType);
        }

        foreach (var p in type.GetProperties(Everything))
        {
            Add(p.PropertyType);
        }

        foreach (var m in type.GetMethods(Everything).Cast<MethodBase>().Concat(type.GetConstructors(Everything)))
        {
            if (m is MethodInfo info)
            {
                Add(info.ReturnType);
            }

            foreach (var p in m.GetParameters())
            {
                Add(p.ParameterType);
            }

            foreach (var t in BodyReferences(type, m))
            {
                Add(t);
            }
        }

        return found;
    }

    /// <summary>The types the IL of <paramref name="method"/> names: operands of calls, field access, casts, newobj, ldtoken.</summary>
    private static IEnumerable<Type> BodyReferences(Type type, MethodBase method)
    {
        if (method.GetMethodBody()?.GetILAsByteArray() is not { } il)
        {
            yield break;
        }

        var typeArgs = type.IsGenericType ? type.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var at = 0;
        while (at < il.Length)
        {
            var value = il[at] == 0xFE ? (short)(0xFE00 | il[at + 1]) : il[at];
            at += il[at] == 0xFE ? 2 : 1;
            var code = OpCodesByValue[value];
            switch (code.OperandType)
            {
                case OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok:
                    var member = Resolve(method.Module, BitConverter.ToInt32(il, at), typeArgs, methodArgs);
                    if (member is Type t)
                    {
                        yield return t;
                    }
                    else if (member is not null)
                    {
                        if (member.DeclaringType is { } declaring)
                        {
                            yield return declaring;
                        }

                        if (member is FieldInfo field)
                        {
                            yield return field.FieldType;
                        }
                        else if (member is MethodBase called)
                        {
                            foreach (var p in called.GetParameters())
                            {
                                yield return p.ParameterType;
                            }

                            if (called is MethodInfo { } calledInfo)
                            {
                                yield return calledInfo.ReturnType;
                                foreach (var g in calledInfo.IsGenericMethod ? calledInfo.GetGenericArguments() : [])
                                {
                                    yield return g;
                                }
                            }
                        }
                    }

                    at += 4;
                    break;
                case OperandType.InlineSwitch:
                    at += 4 + (4 * BitConverter.ToInt32(il, at));
                    break;
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    at += 1;
                    break;
                case OperandType.InlineVar:
                    at += 2;
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    at += 8;
                    break;
                default:
                    at += 4;
                    break;
            }
        }
    }

    private static MemberInfo? Resolve(Module module, int token, Type[]? typeArgs, Type[]? methodArgs)
    {
        try
        {
            return module.ResolveMember(token, typeArgs, methodArgs);
        }
        catch (ArgumentException)
        {
            // A token of another generic context than the one given (rare): not worth failing the whole read for.
            return null;
        }
    }

    /// <summary>The groups of slices that use each other in a circle (strongly connected components larger than one), by Tarjan.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Cycles(IReadOnlyDictionary<string, Dictionary<string, string>> graph)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<IReadOnlyList<string>>();

        void Visit(string node)
        {
            index[node] = low[node] = index.Count;
            stack.Push(node);
            onStack.Add(node);
            foreach (var next in graph.TryGetValue(node, out var edges) ? edges.Keys : Enumerable.Empty<string>())
            {
                if (!index.TryGetValue(next, out var seen))
                {
                    Visit(next);
                    low[node] = Math.Min(low[node], low[next]);
                }
                else if (onStack.Contains(next))
                {
                    low[node] = Math.Min(low[node], seen);
                }
            }

            if (low[node] == index[node])
            {
                var component = new List<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    component.Add(member);
                }
                while (member != node);
                if (component.Count > 1)
                {
                    component.Sort(StringComparer.Ordinal);
                    result.Add(component);
                }
            }
        }

        foreach (var node in graph.Keys.Order(StringComparer.Ordinal))
        {
            if (!index.ContainsKey(node))
            {
                Visit(node);
            }
        }

        return result;
    }
}
