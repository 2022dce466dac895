using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MiM.Bundles.Model.Tests.Numerics;

/// <summary>
/// Finds, by Roslyn's semantic model over a project's sources, every place that makes a TorchSharp <c>Scalar</c> nobody
/// disposes: an implicit or cast conversion to Scalar (a temporary), a <c>ToScalar()</c> outside a <c>using</c> or a
/// static initialiser, and calls of the TorchSharp methods and operators that make one inside
/// (<see cref="TorchSharpTemporaries"/>, read from TorchSharp's IL). TorchSharp 0.107 passes such a Scalar's handle to libtorch
/// without keeping the managed object alive, so a collection during the call can free it while libtorch reads it.
/// </summary>
internal static class ScalarLifetimeScanner
{
    private const string ScalarType = "TorchSharp.Scalar";

    // What the SDK's ImplicitUsings put in obj/ (left out of the scan with the rest of obj/).
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    /// <summary>A place that makes an undisposed Scalar: file (relative to the scanned folder), line and what it is.</summary>
    public sealed record Finding(string File, int Line, string What)
    {
        public override string ToString() => $"{File}:{Line}: {What}";
    }

    /// <summary>What a scan found, and the types it could not resolve (where it would be blind).</summary>
    public sealed record Result(IReadOnlyList<Finding> Findings, IReadOnlyList<string> Unresolved);

    /// <summary>Scans every .cs file under <paramref name="folder"/> (bin/ and obj/ left out).</summary>
    public static Result Scan(string folder)
    {
        var files = Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        var options = CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Preview);
        var trees = files.Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), options, path: f)).ToList();
        var compilation = CSharpCompilation.Create(
            "scan",
            [.. trees, CSharpSyntaxTree.ParseText(ImplicitUsings, options)],
            References(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));
        var scalar = compilation.GetTypeByMetadataName(ScalarType) ?? throw new InvalidOperationException($"{ScalarType} is not among the references");
        var findings = new List<Finding>();
        foreach (var tree in trees)
        {
            var model = compilation.GetSemanticModel(tree);
            var relative = Path.GetRelativePath(folder, tree.FilePath);
            foreach (var node in tree.GetRoot().DescendantNodes())
            {
                if (Describe(node, model, scalar) is { } what)
                {
                    findings.Add(new Finding(relative, node.GetLocation().GetLineSpan().StartLinePosition.Line + 1, what));
                }
            }
        }

        // Unresolved names would hide conversions; source-generated members (logging) are the only expected gaps.
        var unresolved = compilation.GetDiagnostics()
            .Where(d => d.Id is "CS0246" or "CS0234" or "CS0012")
            .Select(d => d.ToString())
            .ToList();
        return new Result(findings, unresolved);
    }

    private static string? Describe(SyntaxNode node, SemanticModel model, INamedTypeSymbol scalar)
    {
        switch (node)
        {
            case CastExpressionSyntax cast when SymbolEqualityComparer.Default.Equals(model.GetTypeInfo(cast.Type).Type, scalar)
                && !SymbolEqualityComparer.Default.Equals(model.GetTypeInfo(cast.Expression).Type, scalar):
                return $"cast to Scalar of `{cast.Expression}`";
            case ExpressionSyntax expression when expression is not CastExpressionSyntax:
            {
                var info = model.GetTypeInfo(expression);
                if (SymbolEqualityComparer.Default.Equals(info.ConvertedType, scalar) && info.Type is not null
                    && !SymbolEqualityComparer.Default.Equals(info.Type, scalar) && model.GetConversion(expression) is { IsImplicit: true, IsUserDefined: true })
                {
                    return $"implicit Scalar from `{expression}`";
                }

                if (expression is InvocationExpressionSyntax or ObjectCreationExpressionSyntax && info.Type is { } made && LeakyModule(made))
                {
                    return $"makes a {made.Name} whose forward/step makes a Scalar it never disposes (TorchSharp's IL): `{expression}`";
                }

                return expression switch
                {
                    InvocationExpressionSyntax call => DescribeCall(call, model),
                    BinaryExpressionSyntax binary => DescribeOperator(model.GetSymbolInfo(binary).Symbol, binary.OperatorToken.Text),
                    AssignmentExpressionSyntax assignment when assignment.Kind() is SyntaxKind.AddAssignmentExpression or SyntaxKind.SubtractAssignmentExpression
                        => DescribeOperator(model.GetSymbolInfo(assignment).Symbol, assignment.OperatorToken.Text),
                    _ => null,
                };
            }

            default:
                return null;
        }
    }

    private static string? DescribeCall(InvocationExpressionSyntax call, SemanticModel model)
    {
        if (model.GetSymbolInfo(call).Symbol is not IMethodSymbol method)
        {
            return null;
        }

        if (method.Name == "ToScalar" && !HeldOrStatic(call))
        {
            return $"`{call}` neither in a using nor a static initialiser";
        }

        return LeavesScalar(method) ? $"`{method.Name}` makes a Scalar it never disposes (TorchSharp's IL): `{call}`" : null;
    }

    private static string? DescribeOperator(ISymbol? symbol, string token) =>
        symbol is IMethodSymbol { MethodKind: MethodKind.UserDefinedOperator } op && LeavesScalar(op)
            ? $"`{token}` of TorchSharp makes a Scalar it never disposes ({op.ToDisplayString()})"
            : null;

    private static bool LeavesScalar(IMethodSymbol method)
    {
        var definition = (method.ReducedFrom ?? method).OriginalDefinition;
        return definition.ContainingAssembly?.Name == "TorchSharp"
            && TorchSharpTemporaries.Keys.Contains(TorchSharpTemporaries.Key(
                TypeName(definition.ContainingType), definition.Name, definition.Parameters.Select(p => TypeName(p.Type))));
    }

    /// <summary>A TorchSharp module or optimizer whose forward or step leaves a Scalar (e.g. LeakyReLU, TorchSharp's AdamW).</summary>
    private static bool LeakyModule(ITypeSymbol type) =>
        type.ContainingAssembly?.Name == "TorchSharp"
        && TorchSharpTemporaries.Keys.Any(k => k.StartsWith(TypeName(type) + ".forward(", StringComparison.Ordinal) || k.StartsWith(TypeName(type) + ".step(", StringComparison.Ordinal));

    /// <summary>The same simple names as <see cref="TorchSharpTemporaries"/> writes from reflection.</summary>
    private static string TypeName(ITypeSymbol type) => type switch
    {
        IArrayTypeSymbol array => TypeName(array.ElementType) + "[]",
        INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable => TypeName(nullable.TypeArguments[0]) + "?",
        ITypeParameterSymbol parameter => parameter.Name,
        _ when type.ContainingType is { } outer => $"{TypeName(outer)}.{type.Name}",
        _ when type.ContainingNamespace is { IsGlobalNamespace: false } ns => $"{ns.ToDisplayString()}.{type.Name}",
        _ => type.Name,
    };

    private static bool HeldOrStatic(SyntaxNode call)
    {
        for (var node = call.Parent; node is not null; node = node.Parent)
        {
            switch (node)
            {
                case LocalDeclarationStatementSyntax local:
                    return local.UsingKeyword != default;
                case UsingStatementSyntax:
                    return true;
                case PropertyDeclarationSyntax property:
                    return property.Modifiers.Any(SyntaxKind.StaticKeyword);
                case FieldDeclarationSyntax field:
                    return field.Modifiers.Any(SyntaxKind.StaticKeyword);
                case StatementSyntax or MemberDeclarationSyntax:
                    return false;
            }
        }

        return false;
    }

    private static IEnumerable<MetadataReference> References()
    {
        var platform = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var local = Directory.GetFiles(AppContext.BaseDirectory, "*.dll");
        return platform.Concat(local)
            .GroupBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase)
            .Select(g => g.First())
            .Where(IsManaged)
            .Select(p => MetadataReference.CreateFromFile(p));
    }

    private static bool IsManaged(string path)
    {
        try
        {
            System.Reflection.AssemblyName.GetAssemblyName(path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}
