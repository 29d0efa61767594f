public enum Render {}
