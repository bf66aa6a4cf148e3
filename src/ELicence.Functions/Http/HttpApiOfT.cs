using System.Collections.Frozen;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace ELicence.Functions.Http;

/// <summary>
/// The guard as a function class uses it (like <c>ILogger&lt;T&gt;</c>): <c>api.RunAsync(req, call =&gt; …)</c> in a method that
/// carries <see cref="EndpointAttribute"/> runs the call as that method declares. The declarations of
/// <typeparamref name="TFunctions"/> are read once, by method name (the compiler supplies the calling method's).
/// </summary>
public sealed class HttpApi<TFunctions>(HttpApi guard)
{
    private static readonly FrozenDictionary<string, EndpointAttribute> Declared = HttpEndpoints.Of(typeof(TFunctions));

    public Task<IActionResult> RunAsync(HttpRequest request, Func<HttpCall, Task<IActionResult>> action, [CallerMemberName] string function = "") =>
        guard.RunAsync(request, Endpoint(function), action);

    /// <summary>
    /// A page for people (HTML): every failure, the 429 included, is answered by <paramref name="errorPage"/> with the
    /// problem's status instead of problem+json. <paramref name="rate"/> replaces the declared policy for a request that costs more.
    /// </summary>
    public Task<IActionResult> RunPageAsync(
        HttpRequest request,
        Func<HttpCall, Task<IActionResult>> action,
        Func<ProblemException, int, Task<IActionResult>> errorPage,
        RatePolicy? rate = null,
        [CallerMemberName] string function = "") =>
        guard.RunAsync(request, Endpoint(function), action, errorPage, rate);

    private static EndpointAttribute Endpoint(string function) =>
        Declared.TryGetValue(function, out var endpoint)
            ? endpoint
            : throw new InvalidOperationException($"{typeof(TFunctions).Name}.{function} calls the HTTP guard without an [Endpoint] declaration.");
}

/// <summary>Finds and checks the <see cref="EndpointAttribute"/> declarations of HTTP functions.</summary>
public static class HttpEndpoints
{
    public static FrozenDictionary<string, EndpointAttribute> Of(Type functions)
    {
        ArgumentNullException.ThrowIfNull(functions);
        return functions.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
            .Select(m => (m.Name, Endpoint: m.GetCustomAttribute<EndpointAttribute>()))
            .Where(m => m.Endpoint is not null)
            .ToFrozenDictionary(m => m.Name, m => m.Endpoint!, StringComparer.Ordinal);
    }

    /// <summary>
    /// Every HTTP-triggered function of <paramref name="assembly"/> declares its endpoint, and no two declared methods of a
    /// class share a name (the guard finds a declaration by its method's name). Checked at start, so a new function without
    /// one fails the host at once instead of its first request.
    /// </summary>
    public static void Validate(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        Validate(assembly.GetExportedTypes());
    }

    /// <summary>As <see cref="Validate(Assembly)"/>, for these classes.</summary>
    public static void Validate(IEnumerable<Type> types)
    {
        ArgumentNullException.ThrowIfNull(types);
        var faults = new List<string>();
        foreach (var type in types)
        {
            var methods = type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly);
            foreach (var method in methods)
            {
                var http = method.GetParameters().Any(p => p.GetCustomAttribute<HttpTriggerAttribute>() is not null);
                var declared = method.GetCustomAttribute<EndpointAttribute>() is not null;
                if (http && !declared)
                {
                    faults.Add($"{type.Name}.{method.Name} has an [HttpTrigger] but no [Endpoint]");
                }
                else if (declared && methods.Count(m => m.Name == method.Name) > 1)
                {
                    faults.Add($"{type.Name}.{method.Name} is declared an [Endpoint] but its name is not unique in its class");
                }
            }
        }

        if (faults.Count > 0)
        {
            throw new InvalidOperationException("HTTP endpoint declarations: " + string.Join("; ", faults) + ".");
        }
    }
}
