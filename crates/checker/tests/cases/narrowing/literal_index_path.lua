-- A path through literal keys (`t.tools[1].context`) is narrowed like a dotted one.
type Tool = {id: string, context: {depth: integer}?}
type Trait = {tools: {Tool}}
local test = {not_nil = function(_v: any) end}
local function depth(t: Trait): integer
    test.not_nil(t.tools[1].context)
    local d = t.tools[1].context.depth
    if t.tools[2].context then
        d = d + t.tools[2].context.depth
    end
    return d + t.tools[3].context.depth -- expect-warning: E0023 cannot index `t.tools[…].context`
end
print(depth({tools = {}}))
