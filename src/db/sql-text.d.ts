// Bun imports `.sql` files as text (`with { type: "text" }`); this tells TypeScript their shape.
declare module "*.sql" {
  const text: string;
  export default text;
}
