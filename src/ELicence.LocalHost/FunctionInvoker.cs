using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace ELicence.LocalHost;

/// <summary>
/// Calls a function method as the isolated worker does: a new instance of its class from DI per invocation, the trigger
/// payload bound to the trigger parameter, route values bound by name, a CancellationToken.
/// </summary>
public static class FunctionInvoker
{
    public static async Task InvokeHttpAsync(FunctionDescriptor function, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(context);
        var args = function.Method.GetParameters().Select(p => p switch
        {
            _ when p.ParameterType == typeof(HttpRequest) => context.Request,
            _ when p.ParameterType == typeof(CancellationToken) => context.RequestAborted,
            _ when p.ParameterType == typeof(string) => context.GetRouteValue(p.Name!)?.ToString(),
            _ => Unbindable(function, p),
        }).ToArray();

        var result = await CallAsync(function, context.RequestServices, args);
        switch (result)
        {
            case IActionResult action:
                await action.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
                break;
            case IResult minimal:
                await minimal.ExecuteAsync(context);
                break;
            case null:
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                break;
            default:
                await context.Response.WriteAsJsonAsync(result, result.GetType());
                break;
        }
    }

    public static Task InvokeQueueAsync(FunctionDescriptor function, IServiceProvider services, BinaryData message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(function);
        var args = function.Method.GetParameters().Select(p => p switch
        {
            _ when p.GetCustomAttribute<QueueTriggerAttribute>() is not null => BindMessage(p.ParameterType, message),
            _ when p.ParameterType == typeof(CancellationToken) => cancellationToken,
            _ => Unbindable(function, p),
        }).ToArray();
        return CallAsync(function, services, args);
    }

    public static Task InvokeTimerAsync(FunctionDescriptor function, IServiceProvider services, TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(function);
        var args = function.Method.GetParameters().Select(p => p switch
        {
            _ when p.ParameterType == typeof(TimerInfo) => timer,
            _ when p.ParameterType == typeof(CancellationToken) => cancellationToken,
            _ => Unbindable(function, p),
        }).ToArray();
        return CallAsync(function, services, args);
    }

    private static object Unbindable(FunctionDescriptor function, ParameterInfo p) =>
        throw new NotSupportedException($"{function.Name}: the local host cannot bind parameter '{p.Name}' of type {p.ParameterType.Name}.");

    private static object? BindMessage(Type type, BinaryData message) => type switch
    {
        _ when type == typeof(string) => message.ToString(),
        _ when type == typeof(BinaryData) => message,
        _ when type == typeof(byte[]) => message.ToArray(),
        _ => JsonSerializer.Deserialize(message.ToString(), type, JsonSerializerOptions.Web),
    };

    private static async Task<object?> CallAsync(FunctionDescriptor function, IServiceProvider services, object?[] args)
    {
        await using var scope = services.CreateAsyncScope();
        var instance = function.Method.IsStatic ? null : ActivatorUtilities.GetServiceOrCreateInstance(scope.ServiceProvider, function.Type);
        object? returned;
        try
        {
            returned = function.Method.Invoke(instance, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }

        switch (returned)
        {
            case Task task:
                await task;
                // Only a declared Task<T> has a result; an async Task's runtime type carries a placeholder one.
                return function.Method.ReturnType.IsGenericType ? task.GetType().GetProperty("Result")!.GetValue(task) : null;
            case ValueTask valueTask:
                await valueTask;
                return null;
            default:
                return returned;
        }
    }
}
